import logging

from kernel.logs import RedactSecrets


def test_it_hides_a_telegram_token_in_a_logged_url(caplog):
    logger = logging.getLogger("test.redact")
    logger.addFilter(RedactSecrets())
    with caplog.at_level(logging.INFO, logger="test.redact"):
        logger.info("POST %s", "https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/getUpdates")
    assert "AAHdqTcv" not in caplog.text and "123456789" not in caplog.text
    assert "/bot***/getUpdates" in caplog.text


def test_a_library_that_sets_its_own_logger_to_debug_prints_nothing_below_the_chosen_level():
    import io

    from kernel.logs import configure_logging, quiet_for_chat

    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        configure_logging("INFO")
        stream = io.StringIO()
        root.handlers[0].setStream(stream)
        chatty = logging.getLogger("test.chatty")
        chatty.setLevel(logging.DEBUG)  # as bm25s does when it is imported
        chatty.debug("DEBUG line")
        chatty.info("an INFO line")
        quiet_for_chat()
        chatty.info("INFO during the chat")
        chatty.warning("a warning")
        assert stream.getvalue().count("\n") == 2
        assert "an INFO line" in stream.getvalue() and "a warning" in stream.getvalue()
    finally:
        root.handlers[:], _ = saved[0], root.setLevel(saved[1])
