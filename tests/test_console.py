"""The console channel: the same core, buttons as numbered choices, clean exits."""

from __future__ import annotations

import asyncio
import io
import threading

import pytest
from bot_fixtures import NOT_FOUND_MARK

from bot import texts
from bot.channels.console import run_console


async def chat_lines(core, *lines: str) -> str:
    out = io.StringIO()
    await run_console(core, stdin=io.StringIO("".join(f"{line}\n" for line in lines)),
                      stdout=out, user_id="lan")
    return out.getvalue()


async def test_it_shows_buttons_as_numbered_choices_and_a_number_presses_one(fake_core):
    output = await chat_lines(fake_core, "sa thai chu tich", "1")
    assert "  [1] 📖 Đọc toàn văn Điều 36" in output
    assert "  [5] 👎 Chưa đúng" in output
    assert "Toàn văn blld-2019:d36" in output
    assert output.endswith(texts.CONSOLE_BYE + "\n")


async def test_it_rates_an_answer_after_reading_the_whole_article(fake_core, fake_kb):
    output = await chat_lines(fake_core, "sa thai chu tich", "1", "2")
    assert "Toàn văn blld-2019:d36" in output and texts.FEEDBACK_THANKS_NOT_RIGHT in output
    assert fake_kb.asked == ["sa thai chu tich"]


async def test_it_takes_a_number_as_text_when_the_newest_reply_has_no_menu(fake_core, fake_kb):
    output = await chat_lines(fake_core, f"hỏi {NOT_FOUND_MARK}", "1", "120")
    assert texts.QUEUED in output and texts.CONSOLE_NO_CHOICE.format(number=120, count=1) not in output


async def test_a_number_without_such_a_button_is_explained(fake_core):
    output = await chat_lines(fake_core, "sa thai chu tich", "9")
    assert texts.CONSOLE_NO_CHOICE.format(number=9, count=5) in output


async def test_it_queues_an_unanswered_question(fake_core):
    output = await chat_lines(fake_core, f"hỏi {NOT_FOUND_MARK}", "1")
    assert texts.QUEUED in output and "[1] 📨 Gửi câu hỏi cho cán bộ LĐLĐ tỉnh" in output


@pytest.mark.parametrize("line, expected", [
    ("", texts.EMPTY),
    ("🙂🙂", texts.NO_WORDS),
    ("/abc", texts.UNKNOWN_COMMAND.format(command="/abc")),
    ("What is the law about union leaders?", texts.NOT_VIETNAMESE),
    ("chữ " * 4999 + "chữ.", "20.000 ký tự"),
])
async def test_it_answers_bad_input_on_the_console(fake_core, line, expected):
    assert expected in await chat_lines(fake_core, line)


async def test_start_and_help_on_the_console(fake_core):
    output = await chat_lines(fake_core, "/start", "/trogiup")
    assert "Xin chào bạn!" in output and texts.HELP in output and "[1] 💬" in output


async def test_thoat_ends_the_session_and_later_lines_are_not_read(fake_core, fake_kb):
    output = await chat_lines(fake_core, "/thoat", "điều 36")
    assert fake_kb.asked == [] and output.endswith(texts.CONSOLE_BYE + "\n")


async def test_end_of_input_ends_the_session(fake_core):
    output = await chat_lines(fake_core)
    assert output.startswith(texts.CONSOLE_BANNER) and output.endswith(texts.CONSOLE_BYE + "\n")


async def test_ctrl_c_ends_the_session_cleanly(fake_core):
    # asyncio.run turns Ctrl-C into a cancellation of the main task, here while input waits.
    reading, release = threading.Event(), threading.Event()

    class Waiting(io.StringIO):
        def readline(self, *args):
            reading.set()
            release.wait(5)
            return ""

    out = io.StringIO()
    session = asyncio.create_task(run_console(fake_core, stdin=Waiting(), stdout=out))
    await asyncio.to_thread(reading.wait, 5)
    session.cancel()
    await session
    release.set()
    assert out.getvalue().endswith(texts.CONSOLE_BYE + "\n")


async def test_unreadable_input_ends_the_session(fake_core):
    closed = io.StringIO()
    closed.close()
    out = io.StringIO()
    await run_console(fake_core, stdin=closed, stdout=out)
    assert out.getvalue().endswith(texts.CONSOLE_BYE + "\n")


async def test_a_real_answer_then_its_article_and_feedback_on_the_console(real_core, bot_db):
    output = await chat_lines(real_core, "sa thai chu tich cong doan", "1")
    assert "Điều 28 Luật Công đoàn 2024" in output
    assert "  [1] 📖 Đọc toàn văn Điều 28" in output
    assert "Điều 28. Bảo đảm cho cán bộ công đoàn" in output  # the whole article, after "1"
