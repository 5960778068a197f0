"""Options shared by several commands (the rio/fio way: declared once, used as decorators)."""
from __future__ import annotations

from pathlib import Path

import click

articles_opt = click.option(
    "--articles", "articles_dir", type=click.Path(path_type=Path), default=Path("seeds"),
    show_default=True, help="Folder of articles (.txt, .md, .html; metadata in <stem>.yaml).")
out_opt = click.option(
    "--out", "out_dir", type=click.Path(path_type=Path), default=Path("maps"), show_default=True,
    help="Output folder for maps, exports and the catalog.")
json_opt = click.option("--json", "as_json", is_flag=True, help="Print a one-line JSON summary.")
verbosity_opt = click.option("-v", "--verbose", count=True, help="More messages (repeatable).")
