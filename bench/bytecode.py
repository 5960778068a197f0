"""geomap's bytecode compiled before processes are timed, as pip compiles a package it installs.

An editable install run with ``PYTHONDONTWRITEBYTECODE`` set (as in the machine these figures
come from) compiles geomap's modules anew in every process: about 0.04 s that an installed
geomap never pays. Python reads existing bytecode whatever that variable says.
"""
from __future__ import annotations

import compileall
from pathlib import Path

import geomap


def compile_geomap() -> None:
    """Write the bytecode of every geomap module (kept in ``__pycache__``, ignored by git)."""
    compileall.compile_dir(Path(geomap.__file__).parent, quiet=1)
