"""/camnang: the chairpersons' handbook, one chapter at a time, in parts under the channel's
message limit, with a button for each article a part cites (opened as Ask opens articles).

Payloads: ``cn:l`` the list, ``cn:p:<chapter>:<part>`` a part (0-based); an article button is
Ask's ``art:cn:<article ref>`` (``cn`` in place of a question id: nobody's question, so no
feedback under it).
"""

from __future__ import annotations

import logging

from bot.flows import handbook_texts as ht
from bot.flows.common import button, expired, say, shorten
from bot.messages import Button, Outcome, Reply
from bot.turn import Turn
from reach.handbook import Chapter, Handbook, HandbookError, limit_for, parts

log = logging.getLogger(__name__)

PREFIX = "cn"
ARTICLE_SOURCE = "cn"  # Ask's article payload from a chapter: art:cn:<ref>


def command(turn: Turn, argument: str) -> Outcome:
    return contents()


def contents() -> Outcome:
    try:
        chapters = _handbook().chapters()
    except HandbookError as error:  # a shipped file broken by hand: logged, users told to wait
        log.error("handbook does not load: %s", error)
        return say(ht.BROKEN)
    if not chapters:
        return say(ht.EMPTY)
    rows = tuple((Button(shorten(chapter.title, 60), f"{PREFIX}:p:{chapter.slug}:0"),) for chapter in chapters)
    return Outcome([Reply(ht.LIST, rows)])


def press(turn: Turn, rest: str) -> Outcome:
    action, _, argument = rest.partition(":")
    if action == "l":
        return contents()
    slug, _, raw_part = argument.rpartition(":")
    if action != "p" or not (raw_part.isascii() and raw_part.isdigit()) or len(raw_part) > 3:
        return expired()
    try:
        chapter = _handbook().chapter(slug)
    except HandbookError:
        return say(ht.BROKEN)
    if chapter is None:
        return expired()
    return show(chapter, int(raw_part), turn.event.channel)


def show(chapter: Chapter, index: int, channel: str) -> Outcome:
    pieces = parts(chapter.text, limit_for(channel))
    if index >= len(pieces):
        return expired()
    text = pieces[index] + (ht.PART.format(number=index + 1, count=len(pieces)) if len(pieces) > 1 else "")
    cited = [ref for ref in chapter.references if ref.label.lower() in pieces[index].lower()]
    articles = [b for b in (button(ht.ARTICLE.format(label=shorten(ref.label, 38)),
                                   f"art:{ARTICLE_SOURCE}:{ref.ref}") for ref in cited) if b]
    rows = [tuple(articles[i:i + 2]) for i in range(0, len(articles), 2)]
    navigation = [Button(ht.CONTENTS, f"{PREFIX}:l")]
    if index + 1 < len(pieces):
        navigation.insert(0, Button(ht.NEXT, f"{PREFIX}:p:{chapter.slug}:{index + 1}"))
    return Outcome([Reply(text, (*rows, tuple(navigation)))])


def pointer(question: str) -> tuple[tuple[Button, ...], ...]:
    """A button to the chapter a question matches by its keywords (Ask adds it), or none."""
    try:
        chapter = _handbook().match(question)
    except Exception:  # noqa: BLE001 — the answer matters more than the pointer: never lose it
        log.exception("handbook pointer failed")
        return ()
    if chapter is None:
        return ()
    return ((Button(ht.POINTER.format(title=shorten(chapter.title, 40)), f"{PREFIX}:p:{chapter.slug}:0"),),)


def _handbook() -> Handbook:
    return Handbook.current()
