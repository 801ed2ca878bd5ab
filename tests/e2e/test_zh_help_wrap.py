"""The console's /help in Chinese, wrapped at the console's width (78 columns): a Chinese
sub-command or keyword (`/goals 确认`, `（也可输入：表扬）`) never splits over two lines,
while a long Chinese sentence still fills its lines."""

from __future__ import annotations

import re

from bot.console.render import render
from bot.plain_text import columns, wrap
from tests.e2e.test_i18n_console import ADMIN, chinese

# A run of Chinese letters with no other letter either side, as people read a word.
RUN = re.compile(r"(?<![\u4e00-\u9fff])[\u4e00-\u9fff]+(?![\u4e00-\u9fff])")


def _words(text: str) -> list[str]:
    return [w for w in RUN.findall(text) if len(w) <= 8]


def test_chinese_help_keeps_every_command_word_whole_at_the_console_width(demo):
    [card] = chinese(demo, ADMIN).handle("/help").cards
    shown = render(card).splitlines()
    assert all(columns(line) <= 78 for line in shown), shown
    wrapped = "\n".join(shown)
    for line in card.lines:
        for word in _words(line):
            splits = [f"{word[:k]}\n  {word[k:]}" for k in range(1, len(word))]
            assert not [s for s in splits if s in wrapped], (word, wrapped)
    assert re.search(r"^  确认 \[编号\]", wrapped, re.M), wrapped  # was `/goals 确` | `认`
    # Lines still fill: no line of the help broke more than a word (16 columns) early.
    for line in card.lines:
        parts = wrap(line, 78, "  ")
        assert all(columns(p) > 78 - 18 for p in parts[:-1]), parts


def test_a_long_chinese_sentence_still_breaks_anywhere():
    sentence = "查看周期关闭前的结果进行校准关闭周期" * 3
    lines = wrap(sentence, 20)
    assert [columns(x) for x in lines[:-1]] == [20] * (len(lines) - 1)
