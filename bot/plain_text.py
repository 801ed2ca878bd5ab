"""A neutral card as plain text (the console, and the webhook's `text`): buttons shown as
`[action:value] Label`."""

from __future__ import annotations

import re
import textwrap
import unicodedata

from bot import strings as st
from handlers.cards import Card
from handlers.i18n import localized

# A wide character (CJK) may end a line anywhere; other text breaks at spaces. Except a
# short run of CJK letters standing alone between spaces, ASCII or punctuation: in perfbot's
# text that is a word someone types, a sub-command or a keyword (`/goals 确认 [编号]`,
# `（也可输入：表扬）`), and `确|认` split over two lines reads as two words. Prose runs on
# longer between punctuation, so a run of up to _WORD letters is kept whole (at most 16
# columns of a 78-column line left unfilled) and a longer one still breaks anywhere.
_WIDE = "\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef"
_LETTER = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_WORD = 8
_TOKEN = re.compile(
    rf"\s+|(?<![{_LETTER}])[{_LETTER}]{{1,{_WORD}}}(?![{_LETTER}])|[{_WIDE}]|[^\s{_WIDE}]+"
)
# Never at the start of a line (closing marks), never at its end (opening marks); a date
# (`11月30日`) or a count in Chinese (`3个`) stays whole.
_CLOSING, _OPENING = set("）」』”’、，。；：！？%"), set("（「『“‘¥")
_DATE_UNITS = set("年月日号个")


def render(card: Card, width: int = 78) -> str:
    """Plain-text card with a rule under the title, fields aligned, buttons pressable."""
    out = [card.title, "─" * min(width, max(columns(card.title), 20))]
    for line in card.lines:
        out.extend(wrap(line, width, subsequent_indent="  ") or [""])
    if card.fields:
        pad = max(columns(label) for label, _ in card.fields)
        out.extend(
            f"{label}{' ' * (pad - columns(label))}  {value}" for label, value in card.fields
        )
    if card.image:
        image = localized(st.CARD_IMAGE)
        out.append(image.format(filename=card.image.filename, alt=card.image.alt))
    if card.form:
        names = localized(st.CARD_FORM_SEP).join(f"{i.name}=…" for i in card.form.inputs)
        form = localized(st.CARD_FORM)
        out.append(form.format(action=card.form.action, value=card.form.value, names=names))
        # A choice's options numbered: `name=2` picks the second (its label or key works too).
        out.extend(
            f"  {i.name}={n}  {label or value}"
            for i in card.form.inputs
            if i.kind == "choice"
            for n, (value, label) in enumerate(i.options, 1)
        )
    # A chat-opening button without a fallback action has nothing to press here.
    buttons = [b for b in card.buttons if b.action]
    if buttons:
        out.append("  ".join(f"[{b.callback}] {b.label}" for b in buttons))
    if card.footnote:
        out.extend(wrap(f"※ {card.footnote}", width))
    return "\n".join(out)


def columns(text: str) -> int:
    """How many terminal columns the text takes: a wide (CJK) character takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def wrap(line: str, width: int, subsequent_indent: str = "") -> list[str]:
    """textwrap.wrap, by terminal columns where the line has wide characters: those may end a
    line anywhere (a Chinese sentence has no spaces) but inside a short word (_WORD), a Latin
    word or `/command` is kept whole. A line without any is wrapped exactly as textwrap does."""
    if columns(line) == len(line):
        return textwrap.wrap(line, width, subsequent_indent=subsequent_indent)
    lines: list[str] = []
    current = ""
    for token in _tokens(line):
        if current.strip() and columns(current) + columns(token.rstrip()) > width:
            lines.append(current.rstrip())
            current = subsequent_indent
            if token.isspace():
                continue
        current += token
    if current.strip():
        lines.append(current.rstrip())
    return lines


def _tokens(line: str) -> list[str]:
    """The line's unbreakable pieces: spaces, one wide character or a short CJK word, a
    Latin word; joined where a line may not break between them."""
    out: list[str] = []
    for token in _TOKEN.findall(line):
        if out and not out[-1].isspace() and not token.isspace() and _glued(out[-1], token):
            out[-1] += token
        else:
            out.append(token)
    return out


def _glued(before: str, token: str) -> bool:
    return (
        token[0] in _CLOSING
        or before[-1] in _OPENING
        or (token[0] in _DATE_UNITS and before[-1].isdigit())
        or (before[-1] in _DATE_UNITS and token[0].isdigit() and before[0].isdigit())
    )
