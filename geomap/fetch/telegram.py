"""Telegram channel exports: the ``result.json`` that Telegram Desktop's "Export chat history"
writes (one chat), or its "Export Telegram data" (``chats.list``). Each post with text is a story:
its date is ``published``, its link ``url``, the channel it was forwarded from (else the chat's
own name) ``source``. The export does not carry a channel's public name, so the link is
``https://t.me/c/<chat id>/<post id>``, which opens the post for the channel's members.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from geomap.errors import FetchError
from geomap.fetch.story import Story

TITLE_CHARS = 90


def read_export(path: Path, max_bytes: int) -> list[Story]:
    """The posts of an export with text, oldest first; :class:`FetchError` naming the file if it
    is no Telegram export."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise FetchError(f"{path}: {size / 1e6:.1f} MB is over the size limit of "
                             f"{max_bytes / 1e6:g} MB (--max-size)")
        data = json.loads(path.read_bytes())
    except OSError as e:
        raise FetchError(f"{path}: cannot read: {e.strerror or e}") from e
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise FetchError(f"{path}: not JSON ({e}), so not a Telegram export") from e
    chats = list(_chats(data))
    if not chats:
        raise FetchError(f"{path}: not a Telegram Desktop export (no chat with messages)")
    return [story for chat in chats for story in _posts(chat)]


def _chats(data: object) -> Iterator[dict]:
    """The chats of an export: the one of a chat export, or each of a full data export."""
    if isinstance(data, dict) and isinstance(data.get("messages"), list):
        yield data
    elif isinstance(data, dict) and isinstance(data.get("chats"), dict):
        for chat in data["chats"].get("list") or []:
            if isinstance(chat, dict) and isinstance(chat.get("messages"), list):
                yield chat


def _posts(chat: dict) -> Iterator[Story]:
    name = str(chat.get("name") or "Telegram")
    for message in chat["messages"]:
        if not isinstance(message, dict) or message.get("type") != "message":
            continue
        text = post_text(message).strip()
        if not text:
            continue
        first_line = text.split("\n", 1)[0].strip()
        title = first_line if len(first_line) <= TITLE_CHARS else first_line[:TITLE_CHARS - 1] + "…"
        yield Story(url=f"https://t.me/c/{chat.get('id')}/{message.get('id')}", text=text,
                    title=title, source=str(message.get("forwarded_from") or name),
                    author=message.get("author") or None,
                    published=str(message.get("date") or "")[:10] or None)


def post_text(message: dict) -> str:
    """A post's text: ``text_entities`` joined, or ``text`` (a string, or strings and entities
    such as ``{"type": "bold", "text": ...}`` mixed)."""
    parts = message.get("text_entities")
    if not isinstance(parts, list):
        parts = message.get("text")
        parts = parts if isinstance(parts, list) else [parts or ""]
    return "".join(p if isinstance(p, str) else str(p.get("text", "")) for p in parts
                   if isinstance(p, (str, dict)))
