"""Writing one tagged PDF from pieces laid out apart, each piece's objects written to the file as
it is read, so that the memory of the whole stays that of its largest piece (documents.pdf
``render_pdf_in_pieces`` uses it for documents that grow with a programme; ``merge_parts``, which
holds the whole document in QPDF, serves those of one city).

Each piece is a tagged PDF made by ``render_part`` (its marked content all reached by its
structure tree or made artifacts, its IDs and font subsets named apart). ``Assembler.add`` copies
its pages, renumbering every object it reaches, and keeps only what the end needs: the new
numbers of its pages and top-level structure elements, its ParentTree entries (keys moved past
the pieces before), its IDTree leaf, its bookmarks. ``finish`` writes the document's own
objects: the catalog (with the first piece's language, metadata and viewer preferences), the
page tree, one Document element over every piece's elements in page order, the ParentTree, the
IDTree, the role map and the bookmarks, then the cross-reference stream. Objects other than
streams go into compressed object streams, as QPDF writes them.

A piece may come with a header PDF of as many pages: each of its pages is drawn on the piece's
page as an artifact (the running header and page number of the document around the piece).
"""

import hashlib
import zlib
from array import array
from collections import deque
from collections.abc import Callable
from decimal import Decimal
from typing import Any, BinaryIO

# Objects of the document itself, numbered before any piece's.
CATALOG, PAGES, STRUCT_ROOT, DOCUMENT = 1, 2, 3, 4
# Objects per compressed object stream.
PER_OBJECT_STREAM = 200
# What a page inherits from the page tree when it does not say it itself.
INHERITED = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")
# The catalog entries taken from the first piece (the rest are the document's own).
FROM_FIRST = ("/Lang", "/MarkInfo", "/Metadata", "/ViewerPreferences", "/PageMode")


class Assembler:
    """Pieces in, one PDF out: ``add`` each piece in order, then ``finish``."""

    def __init__(self, out: BinaryIO) -> None:
        import pikepdf

        self.pikepdf = pikepdf
        self.out = out
        self.start = out.tell()
        self._write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        self.next_number = DOCUMENT + 1
        # Cross-reference entries by object number: type, then two fields (PDF 32000 7.5.8).
        self.kinds = array("b", [0] * (DOCUMENT + 1))
        self.first = array("q", [0] * (DOCUMENT + 1))
        self.second = array("l", [0] * (DOCUMENT + 1))
        self.batch: list[tuple[int, bytes]] = []
        self.pages = array("l")
        self.elements = array("l")
        self.parent_tree: list[tuple[int, int]] = []  # key, object number of its value
        self.next_key = 0
        self.id_leaves: list[tuple[bytes, int]] = []  # first name, leaf object number
        self.role_map: dict[str, bytes] = {}
        self.catalog: dict[str, bytes] = {}
        self.info: bytes | None = None
        self.outline: list[list] = []  # [title, page number, left, top, children]
        self.anchor: list[list] | None = None  # where later pieces' bookmarks go
        self.digest = hashlib.sha256()

    # Pieces ------------------------------------------------------------------------------------

    def add(self, piece: Any, headers: Any = None) -> int:
        """Copy a piece (a path or bytes-like source pikepdf opens), drawing each page of
        ``headers`` (same count) on its page as an artifact; returns its page count."""
        pikepdf = self.pikepdf
        with pikepdf.open(piece) as pdf:
            header_pdf = pikepdf.open(headers) if headers is not None else None
            try:
                if header_pdf is not None:
                    self._draw_headers(pdf, header_pdf)
                return self._copy(pdf)
            finally:
                if header_pdf is not None:
                    header_pdf.close()

    def _draw_headers(self, pdf, header_pdf) -> None:
        from .pdf_merge import _tag_subsets, artifact_form, draw_artifact

        if len(header_pdf.pages) != len(pdf.pages):
            raise ValueError(f"{len(header_pdf.pages)} header pages for {len(pdf.pages)} pages")
        for page, header in zip(pdf.pages, header_pdf.pages, strict=True):
            _tag_subsets(header.obj)
            draw_artifact(pdf, page, pdf.copy_foreign(artifact_form(header_pdf, header.obj)))

    def _copy(self, pdf) -> int:
        from .pdf_merge import _name_tree_items, _number_tree_items, _outline

        pikepdf = self.pikepdf
        copier = _Copier(self, pdf)
        tree = pdf.Root.get("/StructTreeRoot")
        if tree is None:
            raise ValueError("A piece is not tagged.")
        kids = tree.K
        document = kids[0] if isinstance(kids, pikepdf.Array) else kids
        elements = document.K if isinstance(document.K, pikepdf.Array) else [document.K]
        offset = self.next_key
        keys = dict(_number_tree_items(tree.get("/ParentTree")))
        self.next_key = offset + max(keys, default=-1) + 1
        for page in pdf.pages:
            for key in INHERITED:
                if key not in page.obj:
                    found = _inherited(page.obj, key)
                    if found is not None:
                        copier.extra.setdefault(page.obj.objgen, []).append((key, found))
            copier.replace[page.obj.objgen, "/Parent"] = b"%d 0 R" % PAGES
            if "/StructParents" in page.obj:
                copier.replace[page.obj.objgen, "/StructParents"] = b"%d" % (
                    int(page.obj.StructParents) + offset
                )
            for annotation in page.obj.get("/Annots", ()):
                if "/StructParent" in annotation:
                    if not annotation.is_indirect:
                        raise ValueError("A structure annotation is not an indirect object.")
                    copier.replace[annotation.objgen, "/StructParent"] = b"%d" % (
                        int(annotation.StructParent) + offset
                    )
        for element in elements:
            if not isinstance(element, pikepdf.Dictionary) or not element.is_indirect:
                raise ValueError("A piece's Document element holds more than elements.")
            copier.replace[element.objgen, "/P"] = b"%d 0 R" % DOCUMENT
        # What the piece reaches from outside its pages and elements must not be copied.
        copier.refuse(pdf.Root, tree, document, pdf.Root.Pages, *_page_tree(pdf.Root.Pages))
        numbers = {}
        for index, page in enumerate(pdf.pages):
            number = copier.number(page.obj)
            numbers[index] = number
            self.pages.append(number)
        for element in elements:
            self.elements.append(copier.number(element))
        for key, value in keys.items():
            self.parent_tree.append((key + offset, copier.own_number(value)))
        ids = list(_name_tree_items(tree.get("/IDTree")))
        if ids:
            ids.sort(key=lambda item: item[0])
            names = b" ".join(
                pikepdf.String(name).unparse() + b" " + copier.value(value) for name, value in ids
            )
            limits = (
                pikepdf.String(ids[0][0]).unparse() + b" " + pikepdf.String(ids[-1][0]).unparse()
            )
            leaf = self.allocate()
            self.body(leaf, b"<< /Limits [" + limits + b"] /Names [" + names + b"] >>")
            self.id_leaves.append((ids[0][0].encode("utf-8", "surrogatepass"), leaf))
        for key in ("/RoleMap", "/ClassMap"):
            for name, value in tree.get(key, {}).items():
                self.role_map.setdefault(f"{key}{name}", copier.value(value))
        if not self.catalog:
            for key in FROM_FIRST:
                if key in pdf.Root:
                    self.catalog[key] = copier.value(pdf.Root[key])
            if "/Info" in pdf.trailer:
                self.info = copier.value(pdf.trailer.Info)
                if not pdf.trailer.Info.is_indirect:
                    number = self.allocate()
                    self.body(number, self.info)
                    self.info = b"%d 0 R" % number
        copier.drain()
        self._add_outline(_outline(pdf, 0), numbers)
        return len(pdf.pages)

    def _add_outline(self, entries: list, numbers: dict[int, int]) -> None:
        def mapped(entry) -> list:
            title, index, left, top, children = entry
            return [title, numbers[index], left, top, [mapped(child) for child in children]]

        items = [mapped(entry) for entry in entries]
        if self.anchor is None:
            # The first piece's bookmarks are the document's; later pieces' follow its last
            # bookmark, as its siblings (as merge_parts places a part's).
            self.outline = items
            siblings = self.outline
            while siblings and siblings[-1][4]:
                siblings = siblings[-1][4]
            self.anchor = siblings if siblings else self.outline
        else:
            self.anchor.extend(items)

    # Objects -----------------------------------------------------------------------------------

    def allocate(self) -> int:
        number = self.next_number
        self.next_number += 1
        self.kinds.append(0)
        self.first.append(0)
        self.second.append(0)
        return number

    def body(self, number: int, content: bytes) -> None:
        """An object other than a stream: into the current object stream."""
        self.batch.append((number, content))
        if len(self.batch) >= PER_OBJECT_STREAM:
            self._flush_batch()

    def stream(self, number: int, dictionary: bytes, data: bytes) -> None:
        """A stream, written as it is (its dictionary already says its /Length)."""
        self._at(number)
        self._write(b"%d 0 obj\n%s\nstream\n" % (number, dictionary))
        self._write(data)
        self._write(b"\nendstream\nendobj\n")

    def _at(self, number: int) -> None:
        self.kinds[number] = 1
        self.first[number] = self.out.tell() - self.start

    def _write(self, data: bytes) -> None:
        self.out.write(data)

    def _flush_batch(self) -> None:
        if not self.batch:
            return
        number = self.allocate()
        offsets, bodies, position = [], [], 0
        for index, (each, content) in enumerate(self.batch):
            offsets.append(b"%d %d" % (each, position))
            bodies.append(content)
            position += len(content) + 1
            self.kinds[each], self.first[each], self.second[each] = 2, number, index
        header = b" ".join(offsets) + b"\n"
        data = zlib.compress(header + b"\n".join(bodies) + b"\n")
        self.stream(
            number,
            b"<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>"
            % (len(self.batch), len(header), len(data)),
            data,
        )
        self.batch = []

    # The document's own objects ----------------------------------------------------------------

    def finish(self) -> None:
        """Write the document's own objects and the cross-reference stream."""
        pikepdf = self.pikepdf
        if not len(self.pages):
            raise ValueError("A document needs at least one page.")
        refs = b" ".join(b"%d 0 R" % number for number in self.pages)
        self.body(PAGES, b"<< /Type /Pages /Count %d /Kids [%s] >>" % (len(self.pages), refs))
        kids = b" ".join(b"%d 0 R" % number for number in self.elements)
        self.body(
            DOCUMENT,
            b"<< /Type /StructElem /S /Document /P %d 0 R /K [%s] >>" % (STRUCT_ROOT, kids),
        )
        nums = b" ".join(b"%d %d 0 R" % pair for pair in sorted(self.parent_tree))
        parent_tree = self.allocate()
        self.body(parent_tree, b"<< /Nums [%s] >>" % nums)
        root = [
            b"/Type /StructTreeRoot",
            b"/K %d 0 R" % DOCUMENT,
            b"/ParentTree %d 0 R" % parent_tree,
            b"/ParentTreeNextKey %d" % self.next_key,
        ]
        if self.id_leaves:
            leaves = b" ".join(b"%d 0 R" % number for _first, number in sorted(self.id_leaves))
            id_tree = self.allocate()
            self.body(id_tree, b"<< /Kids [%s] >>" % leaves)
            root.append(b"/IDTree %d 0 R" % id_tree)
        for key in ("/RoleMap", "/ClassMap"):
            entries = [
                pikepdf.Name(name[len(key) :]).unparse() + b" " + value
                for name, value in sorted(self.role_map.items())
                if name.startswith(key)
            ]
            if entries:
                root.append(pikepdf.Name(key).unparse() + b" << " + b" ".join(entries) + b" >>")
        self.body(STRUCT_ROOT, b"<< " + b" ".join(root) + b" >>")
        catalog = [
            b"/Type /Catalog",
            b"/Pages %d 0 R" % PAGES,
            b"/StructTreeRoot %d 0 R" % STRUCT_ROOT,
        ]
        catalog += [
            pikepdf.Name(key).unparse() + b" " + value for key, value in self.catalog.items()
        ]
        if self.outline:
            catalog.append(b"/Outlines %d 0 R" % self._write_outline())
        self.body(CATALOG, b"<< " + b" ".join(catalog) + b" >>")
        self._flush_batch()
        self._write_xref(self.info)

    def _write_outline(self) -> int:
        pikepdf = self.pikepdf
        top = self.allocate()

        def write(items: list, parent: int) -> tuple[int, int, int]:
            """Write these siblings; their first, last, and how many items open under them."""
            numbers = [self.allocate() for _item in items]
            count = 0
            for index, (title, page, left, top_, children) in enumerate(items):
                entry = [
                    b"/Title " + pikepdf.String(title).unparse(),
                    b"/Parent %d 0 R" % parent,
                    b"/Dest [%d 0 R /XYZ %s %s 0]" % (page, _number(left), _number(top_)),
                ]
                if index:
                    entry.append(b"/Prev %d 0 R" % numbers[index - 1])
                if index < len(items) - 1:
                    entry.append(b"/Next %d 0 R" % numbers[index + 1])
                if children:
                    first, last, below = write(children, numbers[index])
                    entry.append(b"/First %d 0 R /Last %d 0 R /Count %d" % (first, last, below))
                    count += below
                self.body(numbers[index], b"<< " + b" ".join(entry) + b" >>")
                count += 1
            return numbers[0], numbers[-1], count

        first, last, count = write(self.outline, top)
        self.body(
            top,
            b"<< /Type /Outlines /First %d 0 R /Last %d 0 R /Count %d >>" % (first, last, count),
        )
        return top

    def _write_xref(self, info: bytes | None) -> None:
        number = self.allocate()
        self._at(number)
        size = self.next_number
        width = max(1, (max(self.out.tell() - self.start, size).bit_length() + 7) // 8)
        rows = bytearray()
        for each in range(size):
            kind = self.kinds[each]
            if each == 0:
                rows += b"\x00" + b"\x00" * width + b"\xff\xff"
                continue
            rows.append(kind)
            rows += self.first[each].to_bytes(width, "big")
            rows += self.second[each].to_bytes(2, "big")
        data = zlib.compress(bytes(rows))
        identifier = hashlib.sha256(b"%d %d" % (size, self.out.tell())).hexdigest()[:32].encode()
        trailer = [
            b"/Type /XRef",
            b"/Size %d" % size,
            b"/W [1 %d 2]" % width,
            b"/Root %d 0 R" % CATALOG,
            b"/ID [<%s> <%s>]" % (identifier, identifier),
            b"/Filter /FlateDecode",
            b"/Length %d" % len(data),
        ]
        if info is not None:
            trailer.append(b"/Info " + info)
        self._write(b"%d 0 obj\n<< %s >>\nstream\n" % (number, b" ".join(trailer)))
        self._write(data)
        self._write(b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % self.first[number])


class _Copier:
    """One piece's objects, renumbered into the assembler's as they are reached."""

    def __init__(self, assembler: Assembler, pdf) -> None:
        self.assembler = assembler
        self.pdf = pdf
        self.numbers: dict[tuple[int, int], int] = {}
        self.pending: deque = deque()
        self.refused: set[tuple[int, int]] = set()
        # Entries written in place of the piece's own, and entries added, by object and key.
        self.replace: dict[tuple[tuple[int, int], str], bytes] = {}
        self.extra: dict[tuple[int, int], list[tuple[str, Any]]] = {}
        self.names: dict[str, bytes] = {}
        kinds = assembler.pikepdf.ObjectType
        # Plain functions, not bound methods: a copier that held its own methods would be a
        # reference cycle, kept with its every object number until the garbage collector's rare
        # full pass (4 MB a city in a process that does little else; bench/RESULTS.md).
        self.writers: dict[Any, Callable[[_Copier, Any], bytes]] = {
            kinds.dictionary: _Copier._dictionary,
            kinds.array: _Copier._array,
            kinds.name_: lambda _copier, obj: obj.unparse(),
            kinds.string: lambda _copier, obj: obj.unparse(),
            kinds.integer: lambda _copier, obj: b"%d" % int(obj),
            kinds.real: lambda _copier, obj: obj.unparse(),
            kinds.boolean: lambda _copier, obj: b"true" if bool(obj) else b"false",
            kinds.null: lambda _copier, obj: b"null",
        }
        self.stream_kind = kinds.stream

    def refuse(self, *objects) -> None:
        self.refused.update(obj.objgen for obj in objects if obj.is_indirect)

    def number(self, obj) -> int:
        """The object's number in the document (queued to be written if new)."""
        key = obj.objgen
        number = self.numbers.get(key)
        if number is None:
            if key in self.refused:
                raise ValueError(f"A piece's page or element reaches its object {key}.")
            number = self.numbers[key] = self.assembler.allocate()
            self.pending.append(obj)
        return number

    def own_number(self, value) -> int:
        """An indirect object's number, or a new object holding a direct value."""
        if not isinstance(value, (bool, int, Decimal)) and value is not None and value.is_indirect:
            return self.number(value)
        number = self.assembler.allocate()
        self.assembler.body(number, self.value(value))
        return number

    def value(self, obj) -> bytes:
        """The object written as a direct value (a reference if it is an indirect object)."""
        if obj is None:
            return b"null"
        if isinstance(obj, bool):
            return b"true" if obj else b"false"
        if isinstance(obj, int):
            return b"%d" % obj
        if isinstance(obj, Decimal):
            return _number(obj)
        if obj.is_indirect:
            return b"%d 0 R" % self.number(obj)
        return self.writers[obj._type_code](self, obj)

    def _key(self, key: str) -> bytes:
        name = self.names.get(key)
        if name is None:
            name = self.names[key] = self.assembler.pikepdf.Name(key).unparse()
        return name

    def _entries(self, obj, skip: tuple[str, ...] = ()) -> bytes:
        own = obj.objgen if obj.is_indirect else None
        parts = []
        for key in obj.keys():
            if key in skip:
                continue
            replaced = self.replace.get((own, key)) if own else None
            text = replaced if replaced is not None else self.value(obj.get(key))
            parts.append(self._key(key) + b" " + text)
        for key, value in self.extra.get(own, ()) if own else ():
            parts.append(self._key(key) + b" " + self.value(value))
        return b"<< " + b" ".join(parts) + b" >>"

    def _dictionary(self, obj) -> bytes:
        return self._entries(obj)

    def _array(self, obj) -> bytes:
        return b"[" + b" ".join(self.value(item) for item in obj) + b"]"

    def drain(self) -> None:
        """Write every object reached, and those they reach."""
        assembler = self.assembler
        while self.pending:
            obj = self.pending.popleft()
            number = self.numbers[obj.objgen]
            if obj._type_code == self.stream_kind:
                data = obj.read_raw_bytes()
                dictionary = self._entries(obj.stream_dict, skip=("/Length",))
                dictionary = dictionary[:-2] + b"/Length %d >>" % len(data)
                assembler.stream(number, dictionary, data)
            else:
                assembler.body(number, self.writers[obj._type_code](self, obj))


def _number(value) -> bytes:
    """A PDF number: integers as such, reals without an exponent."""
    if value is None:
        return b"null"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f").encode()
    return b"%d" % int(value)


def _inherited(page, key: str):
    node = page.get("/Parent")
    while node is not None:
        if key in node:
            return node[key]
        node = node.get("/Parent")
    return None


def _page_tree(node) -> list:
    """The page tree's inner nodes under ``node`` (pages are not among them)."""
    import pikepdf

    found = []
    for kid in node.get("/Kids", ()):
        if kid.get("/Type") == pikepdf.Name.Pages:
            found.append(kid)
            found.extend(_page_tree(kid))
    return found
