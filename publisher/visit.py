"""One way through the document model: a visitor over the block types.

Sphinx's translators are the model: ``visit(block)`` calls the subclass's
``visit_Heading``, ``visit_Paragraph``, … found by the block's class name, and
a block type a visitor does not handle fails loudly in ``unknown_visit``
instead of being skipped, so a new block type in the model cannot silently
lose words in one format. Every writer, the speech script, the lint and the
checks walk the model through a subclass of ``Visitor``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Generic, TypeVar

from .model import (
    Block,
    Callout,
    Heading,
    Image,
    ListBlock,
    Paragraph,
    Quote,
    Run,
    Runs,
    Table,
)

T = TypeVar("T")


class Visitor(Generic[T]):
    def visit(self, block: Block) -> T:
        method = getattr(self, f"visit_{type(block).__name__}", None)
        if method is None:
            return self.unknown_visit(block)
        result: T = method(block)
        return result

    def visit_all(self, blocks: Iterable[Block]) -> list[T]:
        return [self.visit(block) for block in blocks]

    def unknown_visit(self, block: Any) -> T:
        raise NotImplementedError(f"{type(self).__name__} has no visit_{type(block).__name__} "
                                  f"(the block at source line {getattr(block, 'line', '?')})")


class _PartRuns(Visitor[tuple[Runs, ...]]):
    def visit_Heading(self, block: Heading) -> tuple[Runs, ...]:
        return (block.runs,)

    def visit_Paragraph(self, block: Paragraph) -> tuple[Runs, ...]:
        return (block.runs,)

    def visit_ListBlock(self, block: ListBlock) -> tuple[Runs, ...]:
        return block.items

    def visit_Quote(self, block: Quote) -> tuple[Runs, ...]:
        return tuple(p.runs for p in block.paragraphs) + ((block.attribution,) if block.attribution else ())

    def visit_Callout(self, block: Callout) -> tuple[Runs, ...]:
        return ((Run(block.title),),) if block.title else ()  # its blocks are walked apart

    def visit_Image(self, block: Image) -> tuple[Runs, ...]:
        return ((Run(block.caption),),) if block.caption else ()

    def visit_Table(self, block: Table) -> tuple[Runs, ...]:
        caption = ((Run(block.caption),),) if block.caption else ()
        return caption + block.header + tuple(cell for row in block.rows for cell in row)


_part_runs = _PartRuns()


def part_runs(block: Block) -> tuple[Runs, ...]:
    """The separately read pieces of one block, as styled runs, in order.

    Heading and paragraph: their runs. List: each item, nested ones in place.
    Quote: each paragraph, then the attribution. Callout: its title (its blocks
    are walked apart). Image: its caption, if any. Table: its caption, the
    column names, then each row's cells, row by row. ``text.block_parts`` is their plain text, so
    sentence ids and every styled rendering count the same characters.
    """
    return _part_runs.visit(block)
