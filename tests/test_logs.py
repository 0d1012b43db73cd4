import logging

from kernel.logs import RedactSecrets


def test_it_hides_a_telegram_token_in_a_logged_url(caplog):
    logger = logging.getLogger("test.redact")
    logger.addFilter(RedactSecrets())
    with caplog.at_level(logging.INFO, logger="test.redact"):
        logger.info("POST %s", "https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/getUpdates")
    assert "AAHdqTcv" not in caplog.text and "123456789" not in caplog.text
    assert "/bot***/getUpdates" in caplog.text
