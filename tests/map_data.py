"""The map page's data block as the tests read it: its chunks joined into the page's tables, its
tables of columns back as typed records."""
from __future__ import annotations

import json
import re
from typing import Any, TypeVar

Record = TypeVar("Record", bound=tuple)


def data_block(page: str) -> dict[str, Any]:
    """The JSON data block of a map page, with the tables of its articles' records joined from
    its chunks (:func:`joined`) beside the others."""
    data = json.loads(re.search(r'id="geomap-data">(.*?)</script>', page, re.S).group(1))
    return data | joined(data["chunks"])


def joined(chunks: list[dict[str, dict[str, list[Any]]]]) -> dict[str, dict[str, list[Any]]]:
    """The page's tables of the data block's ``chunks`` as map.js joins them (``joinChunks``):
    each table's columns in order, the ``article`` and ``passage`` columns, which count from 0
    in each chunk, moved on by the articles and passages of the chunks before."""
    tables: dict[str, dict[str, list[Any]]] = {}
    shift = {"article": 0, "passage": 0}
    for chunk in chunks:
        for name, table in chunk.items():
            for field, column in table.items():
                tables.setdefault(name, {}).setdefault(field, []).extend(
                    [v + shift[field] for v in column] if field in shift else column)
        shift["article"] += len(chunk["articles"]["title"])
        shift["passage"] += len(chunk["passages"]["article"])
    return tables


def records(kind: type[Record], table: dict[str, list[Any]]) -> list[Record]:
    """The records of a table of the data block, whose columns must be the fields of ``kind``
    (a NamedTuple of :mod:`geomap.render.map`), in order."""
    assert list(table) == list(kind._fields), (list(table), kind._fields)
    return [kind(*values) for values in zip(*table.values())]
