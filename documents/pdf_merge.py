"""Putting the pages of PDF parts laid out apart into a document's slot pages, with pikepdf: one
tagged PDF/UA-1 file, one structure tree (documents.pdf ``render_pdf(parts=...)`` and
``render_part`` call it; see documents/pdf.py for how a document leaves its slots).

pikepdf (QPDF) is imported where it is used: only PDF work needs it.
"""

import hashlib
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any


def merge_parts(
    main: bytes, slot_indexes: Sequence[int], parts: Sequence[bytes], *, part_prefix: str = ""
) -> bytes:
    """Put the parts' pages, in order, in the place of the main PDF's slot pages.

    The structure trees are merged: each part's top-level elements take the place of its slots'
    (empty) elements under the main document's Document element, so the reading order stays
    the page order; their /StructParents keys are moved past the main document's in one
    ParentTree; ID trees and role maps are merged (parts made by ``render_part`` have IDs of
    their own); their bookmarks join the document's. The catalog, its metadata (PDF/UA
    identification), /Lang and /MarkInfo are the main document's. Each slot page's running
    header and page number are drawn on the part's page as an artifact. A slot page must hold
    nothing but its slot (ValueError otherwise: its content would be lost).

    The parts stay open until the result is written: pikepdf copies their streams then.

    WeasyPrint writes the running header and page numbers as marked content that no element of
    the tree reaches; those are made artifacts, so every page's marked content is reachable."""
    import pikepdf

    pdf = pikepdf.open(io.BytesIO(main))
    tree = _Tree(pdf)
    slot_indexes = list(slot_indexes)
    slot_set = set(slot_indexes)
    for index, page in enumerate(pdf.pages):
        if index not in slot_set:
            tree.orphans_to_artifacts(page)
        if part_prefix:
            _tag_subsets(page)
    if part_prefix:
        _rename_ids(tree.root, part_prefix)

    opened = [pikepdf.open(io.BytesIO(part)) for part in parts]
    try:
        wanted = sum(len(part.pages) for part in opened)
        if wanted != len(slot_indexes):
            raise ValueError(f"{len(slot_indexes)} slot pages for {wanted} pages of parts")
        slot_objects = [pdf.pages[index].obj for index in slot_indexes]
        placed: dict[tuple[int, int], list] = {}  # first slot page of a part -> its elements
        new_pages: list[tuple[int, Any]] = []
        bookmarks: list[tuple[int, list]] = []  # a part's first page, its outline
        next_slot = iter(slot_indexes)
        for part in opened:
            elements, pages = tree.adopt(part)
            first = None
            for page_number, page in enumerate(pages):
                index = next(next_slot)
                if page_number == 0:
                    first = index
                    placed[pdf.pages[index].obj.objgen] = elements
                new_pages.append((index, page))
            if first is not None:
                bookmarks.append((first, _outline(part, first)))
        tree.place(slot_objects, placed)
        for index, page in new_pages:
            header = artifact_form(pdf, pdf.pages[index].obj)
            _replace_page(pdf, index, page, header)
        tree.write()
        _add_bookmarks(pdf, bookmarks)
        out = io.BytesIO()
        pdf.save(out, compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return out.getvalue()
    finally:
        for part in opened:
            part.close()
        pdf.close()


def _outline(part, offset: int) -> list:
    """The part's bookmarks as (title, page in the document, left, top, children)."""
    import pikepdf

    pages = {page.objgen: index for index, page in enumerate(part.pages)}

    def items(entries) -> list:
        found = []
        for entry in entries:
            destination = entry.destination
            if not isinstance(destination, pikepdf.Array) or not len(destination):
                continue
            index = pages.get(destination[0].objgen)
            if index is None:
                continue
            place = list(destination[2:4]) if len(destination) >= 4 else [None, None]
            found.append((entry.title, offset + index, *place, items(entry.children)))
        return found

    with part.open_outline() as outline:
        return items(outline.root)


def _add_bookmarks(pdf, bookmarks: list[tuple[int, list]]) -> None:
    """Each part's bookmarks follow the last bookmark before the part's first page, as its
    siblings (a part's top headings are one level below the section it is placed in)."""
    import pikepdf

    if not any(outline for _first, outline in bookmarks):
        return
    pages = {page.objgen: index for index, page in enumerate(pdf.pages)}

    def made(entry):
        title, index, left, top, children = entry
        target = pdf.pages[index].obj
        destination = pikepdf.Array([target, pikepdf.Name.XYZ, left, top, 0])
        item = pikepdf.OutlineItem(title, destination)
        item.children.extend(made(child) for child in children)
        return item

    with pdf.open_outline() as outline:
        # The document's own bookmarks in document order, with where each sits.
        flat: list[tuple[list, int, int | None]] = []
        stack = [(outline.root, index, item) for index, item in enumerate(outline.root)]
        while stack:
            siblings, index, item = stack.pop(0)
            destination = item.destination
            page = (
                pages.get(destination[0].objgen)
                if isinstance(destination, pikepdf.Array) and len(destination)
                else None
            )
            flat.append((siblings, index, page))
            stack[0:0] = [(item.children, i, child) for i, child in enumerate(item.children)]
        anchors = []
        for first, entries in bookmarks:
            siblings, position = outline.root, len(outline.root)
            for owner, index, page in flat:
                if page is not None and page < first:
                    siblings, position = owner, index + 1
            anchors.append((siblings, position, entries))
        # Inserted last to first, so that each position still means what it meant.
        for siblings, position, entries in reversed(anchors):
            siblings[position:position] = [made(entry) for entry in entries]


def _tag_subsets(page) -> None:
    """Name each font subset of the page (Type0 and its descendant, the descriptor) with a tag
    made from its embedded program, which differs wherever the glyphs do."""
    import pikepdf

    for font in page.get("/Resources", {}).get("/Font", {}).values():
        fonts = [font, *font.get("/DescendantFonts", ())]
        program = None
        for each in fonts:
            descriptor = each.get("/FontDescriptor")
            if descriptor is not None:
                program = next(
                    (
                        descriptor[key]
                        for key in ("/FontFile2", "/FontFile3", "/FontFile")
                        if key in descriptor
                    ),
                    None,
                )
        if program is None:
            continue
        digest = hashlib.sha256(program.read_raw_bytes()).digest()
        tag = "".join(chr(65 + byte % 26) for byte in digest[:6])
        for each in fonts:
            for owner, key in ((each, "/BaseFont"), (each.get("/FontDescriptor"), "/FontName")):
                if owner is not None and key in owner:
                    name = str(owner[key])[1:]
                    base = name.split("+", 1)[1] if "+" in name[:7] else name
                    owner[key] = pikepdf.Name(f"/{tag}+{base}")


def _replace_page(pdf, index: int, page, header) -> None:
    """Put ``page`` (already in ``pdf``) at ``index``, with the slot's header drawn on it."""
    import pikepdf

    helper = pikepdf.Page(page)
    draw_artifact(pdf, helper, header)
    pdf.pages.insert(index, helper)
    del pdf.pages[index + 1]


def artifact_form(pdf, page):
    """A page holding only a running header and page number, as a form XObject whose marked
    content is all artifacts."""
    import pikepdf

    page.Contents = pdf.make_stream(_MARKED_CONTENT.sub(b"/Artifact BMC", _contents(page)))
    return pikepdf.Page(page).as_form_xobject()


def draw_artifact(pdf, page, form) -> None:
    """Draw ``form`` (already in ``pdf``) over the pikepdf Page ``page``, as an artifact."""
    import pikepdf

    name = page.add_resource(form, pikepdf.Name.XObject, prefix="Slot")
    page.contents_add(pdf.make_stream(b"q\n"), prepend=True)
    draw = b"\nQ\n/Artifact BMC\nq\n" + name.unparse() + b" Do\nQ\nEMC\n"
    page.contents_add(pdf.make_stream(draw))


class _Tree:
    """The main PDF's structure tree while parts are merged into it."""

    def __init__(self, pdf) -> None:
        import pikepdf

        self.pikepdf = pikepdf
        self.pdf = pdf
        self.root = pdf.Root.StructTreeRoot
        kids = self.root.K
        self.document = kids[0] if isinstance(kids, pikepdf.Array) else kids
        if not isinstance(self.document.get("/K"), pikepdf.Array):
            self.document.K = pikepdf.Array([self.document.K] if "/K" in self.document else [])
        self.nums: dict[int, Any] = dict(_number_tree_items(self.root.get("/ParentTree")))
        self.ids: dict[str, Any] = dict(_name_tree_items(self.root.get("/IDTree")))
        self.reachable = _reachable(self.root)

    def orphans_to_artifacts(self, page) -> None:
        """Marked content of this page that no element of the tree reaches becomes an artifact
        (WeasyPrint's margin boxes); its ParentTree slot is emptied."""
        key = page.get("/StructParents")
        parents = self.nums.get(int(key)) if key is not None else None

        def artifact(match) -> bytes:
            mcid = int(match.group(1))
            if self._reached(parents, mcid):
                return match.group(0)
            if parents is not None and mcid < len(parents):
                parents[mcid] = None
            return b"/Artifact BMC"

        content = _contents(page)
        changed = _MARKED_CONTENT.sub(artifact, content)
        if changed != content:
            page.Contents = self.pdf.make_stream(changed)

    def _reached(self, parents, mcid: int) -> bool:
        if parents is None or not isinstance(parents, self.pikepdf.Array) or mcid >= len(parents):
            return False
        element = parents[mcid]
        return isinstance(element, self.pikepdf.Dictionary) and element.objgen in self.reachable

    def place(self, slot_pages: list, placed: dict) -> None:
        """Put each part's elements where the (empty) element of its first slot page was, and
        take the slots' elements out: a slot shares its page with nothing."""
        pikepdf = self.pikepdf
        slots = {page.objgen for page in slot_pages}
        kids = []
        for kid in self.document.K:
            page = kid.get("/Pg") if isinstance(kid, pikepdf.Dictionary) else None
            if page is None or page.objgen not in slots:
                kids.append(kid)
                continue
            if len(kid.get("/K", ())):
                raise ValueError("A slot shares its page with other content.")
            kids.extend(placed.pop(page.objgen, ()))
        if placed:
            raise ValueError("A part's first slot page holds no slot.")
        self.document.K = pikepdf.Array(kids)
        for page in slot_pages:
            key = page.get("/StructParents")
            if key is not None:
                self.nums.pop(int(key), None)
                del page["/StructParents"]

    def adopt(self, part) -> tuple[list, list]:
        """Copy a part's pages and top-level structure elements into the main PDF; return the
        elements (to put under the Document element) and the pages (to put in the slots)."""
        pikepdf = self.pikepdf
        root = part.Root.StructTreeRoot
        kids = root.K
        document = kids[0] if isinstance(kids, pikepdf.Array) else kids
        elements = list(document.K) if isinstance(document.K, pikepdf.Array) else [document.K]
        for element in elements:
            del element["/P"]  # cut from the part's root before copying
        part_nums = dict(_number_tree_items(root.get("/ParentTree")))
        offset = max(self.nums, default=-1) + 1
        # Pages first (QPDF copies a page only on its own), then one copy of the elements and
        # the ParentTree's values, whose references to the pages map to those copies.
        pages = [self.pdf.copy_foreign(page.obj) for page in part.pages]
        bundle = part.make_indirect(pikepdf.Array(elements + list(part_nums.values())))
        copied = self.pdf.copy_foreign(bundle)
        new_elements = list(copied[: len(elements)])
        for key, value in zip(part_nums, copied[len(elements) :], strict=True):
            self.nums[key + offset] = value
        for element in new_elements:
            element.P = self.document
        for page in pages:
            if "/StructParents" in page:
                page.StructParents = int(page.StructParents) + offset
            for annotation in page.get("/Annots", ()):
                if "/StructParent" in annotation:
                    annotation.StructParent = int(annotation.StructParent) + offset
        for name, value in _name_tree_items(root.get("/IDTree")):
            self.ids[name] = self.pdf.copy_foreign(value) if value.is_indirect else value
        self._merge_maps(root)
        return new_elements, pages

    def _merge_maps(self, root) -> None:
        for key in ("/RoleMap", "/ClassMap"):
            if key in root:
                mine = self.root.get(key)
                if mine is None:
                    mine = self.root[key] = self.pikepdf.Dictionary()
                for name, value in root[key].items():
                    if name not in mine:
                        mine[name] = self.pdf.copy_foreign(value) if value.is_indirect else value

    def write(self) -> None:
        """Write the merged ParentTree (and IDTree) as flat trees."""
        pikepdf = self.pikepdf
        nums = pikepdf.Array()
        for key in sorted(self.nums):
            nums.append(key)
            nums.append(self.nums[key])
        self.root.ParentTree = self.pdf.make_indirect(pikepdf.Dictionary(Nums=nums))
        self.root.ParentTreeNextKey = max(self.nums, default=-1) + 1
        if self.ids:
            names = pikepdf.Array()
            for name in sorted(self.ids):
                names.append(pikepdf.String(name))
                names.append(self.ids[name])
            self.root.IDTree = self.pdf.make_indirect(pikepdf.Dictionary(Names=names))


# Marked content with an MCID as WeasyPrint writes it (/Span <</MCID 3>> BDC). Its text is
# shown as hex strings, which cannot hold "<</MCID", so the pattern meets nothing else.
_MARKED_CONTENT = re.compile(rb"/[^\s/<>\[\]()]+\s*<<\s*/MCID\s+(\d+)\s*>>\s*BDC")


def _contents(page) -> bytes:
    """The page's content streams as one."""
    import pikepdf

    contents = page.get("/Contents")
    if contents is None:
        return b""
    if isinstance(contents, pikepdf.Array):
        return b"\n".join(stream.read_bytes() for stream in contents)
    return contents.read_bytes()


def _number_tree_items(tree) -> Iterable[tuple[int, Any]]:
    if tree is None:
        return
    nums = tree.get("/Nums")
    if nums is not None:
        for index in range(0, len(nums), 2):
            yield int(nums[index]), nums[index + 1]
    for kid in tree.get("/Kids", ()):
        yield from _number_tree_items(kid)


def _name_tree_items(tree) -> Iterable[tuple[str, Any]]:
    if tree is None:
        return
    names = tree.get("/Names")
    if names is not None:
        for index in range(0, len(names), 2):
            yield str(names[index]), names[index + 1]
    for kid in tree.get("/Kids", ()):
        yield from _name_tree_items(kid)


def _elements(root) -> Iterator[Any]:
    """The root, then every structure element reachable from it, each once (marked-content and
    object references are leaves, not elements)."""
    import pikepdf

    seen: set = set()
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        kids = node.get("/K")
        if kids is None:
            continue
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") not in (
                pikepdf.Name.MCR,
                pikepdf.Name.OBJR,
            ):
                if kid.is_indirect:
                    if kid.objgen in seen:
                        continue
                    seen.add(kid.objgen)
                stack.append(kid)


def _reachable(root) -> set:
    """The structure elements reachable from the root, by object id."""
    elements = _elements(root)
    next(elements)  # the root itself
    return {element.objgen for element in elements if element.is_indirect}


def _rename_ids(root, prefix: str) -> None:
    """Prefix every structure element ID of a part (and the table headers naming them), so
    that parts laid out apart never share one."""
    import pikepdf

    for node in _elements(root):
        if "/ID" in node:
            node.ID = pikepdf.String(prefix + str(node.ID))
        attributes = node.get("/A")
        for attribute in attributes if isinstance(attributes, pikepdf.Array) else [attributes]:
            if isinstance(attribute, pikepdf.Dictionary) and "/Headers" in attribute:
                attribute.Headers = pikepdf.Array(
                    [pikepdf.String(prefix + str(header)) for header in attribute.Headers]
                )
    if "/IDTree" in root:
        items = list(_name_tree_items(root.IDTree))
        names = pikepdf.Array()
        for name, value in sorted(items):
            names.append(pikepdf.String(prefix + name))
            names.append(value)
        root.IDTree = pikepdf.Dictionary(Names=names)
