"""Checks of a tagged PDF's structure tree (PDF/UA-1): every page's marked content is reached
from /StructTreeRoot, through the ParentTree, by elements that name that page; every element
is its parent's child; and the catalog says it is tagged, in which language, under which
standard. Read with pikepdf, independently of how the PDF was made."""

import io
import re

import pikepdf


def _kids(node) -> list:
    kids = node.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _is_element(kid) -> bool:
    return isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") not in (
        pikepdf.Name.MCR,
        pikepdf.Name.OBJR,
    )


def _parent_tree(tree) -> dict[int, object]:
    found: dict[int, object] = {}
    nums = tree.get("/Nums")
    if nums is not None:
        for index in range(0, len(nums), 2):
            found[int(nums[index])] = nums[index + 1]
    for kid in tree.get("/Kids", ()):
        found.update(_parent_tree(kid))
    return found


def _marked_content_ids(page) -> list[int]:
    ids = []
    for operands, operator in pikepdf.parse_content_stream(page):
        if str(operator) == "BDC" and len(operands) == 2:
            properties = operands[1]
            if isinstance(properties, pikepdf.Dictionary) and "/MCID" in properties:
                ids.append(int(properties.MCID))
    return ids


def check_structure(content: bytes) -> dict:
    """Assert the structure tree covers every page; return what was counted."""
    pdf = pikepdf.open(io.BytesIO(content))
    root = pdf.Root
    assert bool(root.MarkInfo.Marked), "the PDF says it is tagged"
    assert str(root.Lang), "the PDF names its language"
    metadata = root.Metadata.read_bytes()
    assert re.search(rb"pdfuaid:part[^0-9]{1,5}1", metadata), "PDF/UA-1 identification"
    tree = root.StructTreeRoot
    parent_tree = _parent_tree(tree.ParentTree)

    # Every element reachable from the root, and each one its parent's child.
    reachable: dict[tuple[int, int], object] = {}
    stack = [tree]
    while stack:
        node = stack.pop()
        for kid in _kids(node):
            if not _is_element(kid):
                continue
            assert kid.is_indirect, "structure elements are indirect objects"
            assert kid.objgen not in reachable, "an element appears once in the tree"
            assert kid.P.objgen == node.objgen, f"/P of {kid.S} names its parent"
            reachable[kid.objgen] = kid
            stack.append(kid)
    assert reachable, "the tree has elements"

    keys_seen = set()
    marked = 0
    for number, page in enumerate(pdf.pages, start=1):
        ids = _marked_content_ids(page)
        assert ids, f"page {number} has tagged content"
        assert len(set(ids)) == len(ids), f"page {number} uses an MCID once"
        key = page.obj.get("/StructParents")
        assert key is not None, f"page {number} has /StructParents"
        assert int(key) not in keys_seen, f"page {number} has a /StructParents of its own"
        keys_seen.add(int(key))
        parents = parent_tree.get(int(key))
        assert isinstance(parents, pikepdf.Array), f"page {number}'s key is in the ParentTree"
        for mcid in ids:
            assert mcid < len(parents), f"page {number} MCID {mcid} is in the ParentTree"
            element = parents[mcid]
            assert _is_element(element), f"page {number} MCID {mcid} has an element"
            assert element.objgen in reachable, f"page {number} MCID {mcid} is reachable"
            assert element.Pg.objgen == page.obj.objgen, f"page {number} MCID {mcid}: /Pg"
            assert mcid in [int(k) for k in _kids(element) if isinstance(k, int)], (
                f"page {number} MCID {mcid} is a kid of its element"
            )
            marked += 1
    next_key = tree.get("/ParentTreeNextKey")
    if next_key is not None:
        assert int(next_key) > max(parent_tree), "/ParentTreeNextKey is past every key"
    ids = [str(element.ID) for element in reachable.values() if "/ID" in element]
    assert len(ids) == len(set(ids)), "element IDs are unique"
    return {"pages": len(pdf.pages), "elements": len(reachable), "marked": marked}
