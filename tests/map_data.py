"""The map page's data block as the tests read it: its tables of columns back as typed records."""
from __future__ import annotations

import json
import re
from typing import Any, TypeVar

Record = TypeVar("Record", bound=tuple)


def data_block(page: str) -> dict[str, Any]:
    """The JSON data block of a map page."""
    return json.loads(re.search(r'id="geomap-data">(.*?)</script>', page, re.S).group(1))


def records(kind: type[Record], table: dict[str, list[Any]]) -> list[Record]:
    """The records of a table of the data block, whose columns must be the fields of ``kind``
    (a NamedTuple of :mod:`geomap.render.map`), in order."""
    assert list(table) == list(kind._fields), (list(table), kind._fields)
    return [kind(*values) for values in zip(*table.values())]
