"""Issue 9, item 8: the server fetches a Zalo photo only from the platform's file hosts
(``ZALO_FILE_HOSTS``): https, every resolved address public, no redirect to another host; a host
listed by name (a local fake) is trusted as it is. A refused photo is not fetched and the user
is told why, in Vietnamese."""

from __future__ import annotations

import threading

import pytest
from bot_fixtures import FakeKnowledge
from cases_fixtures import desk_for
from test_zalo import _serving, zalo_settings
from test_zalo_api import PNG, USER, to_evidence
from test_zalo_end_to_end import Chairperson

from bot import texts
from bot.channels.zalo import DEFAULT_FILE_HOSTS, FileHosts
from bot.core import DialogCore
from bot.flows import report_texts as t
from devtools.fake_zalo import FakeZalo, make_server
from kernel.settings import Settings

PLATFORM_PHOTO = "https://f20-zpc.zdn.vn/jpg/8848797253866041229/0fbba8d4891d05435c0c.jpg"


class Resolver:
    """DNS as the test says: every host resolves to ``addresses``."""

    def __init__(self, *addresses: str) -> None:
        self.addresses, self.asked = list(addresses), []

    async def __call__(self, host: str, port: int) -> list[str]:
        self.asked.append((host, port))
        return self.addresses


@pytest.fixture
def api() -> FakeZalo:
    return FakeZalo()


@pytest.fixture
def core(sqlite_db, tmp_path) -> DialogCore:
    return DialogCore(sqlite_db, FakeKnowledge(), cases=desk_for(sqlite_db, tmp_path))


async def serve(core, api, *, resolver=None, **settings):
    async for user in _serving(core, api, zalo_settings(**settings)):
        if resolver is not None:
            user.app.state.channels.zalo.bot.files.resolver = resolver
        yield Chairperson(user.app, user.http, user.api)


def fetched(api: FakeZalo) -> list[str]:
    return [call["url"] for call in api.called("GET")]


async def test_a_photo_from_a_host_not_listed_is_not_fetched_and_the_user_is_told(core, api):
    async for chair in serve(core, api):
        await to_evidence(chair)
        refused = await chair.send(api.photo_update(USER, PNG, url="https://evil.example/x.jpg"), USER)
        assert refused == [texts.ZALO_PHOTO_REFUSED]
        assert fetched(api) == []
        [kept] = await chair.send(api.photo_update(USER, PNG), USER)  # still waiting for files
        assert kept.startswith("Đã nhận tệp anh.jpg")


@pytest.mark.parametrize("url", [
    "http://f20-zpc.zdn.vn/jpg/1.jpg",  # a platform host, but not over https
    "https://zdn.vn.evil.example/1.jpg",
    "https://evilzdn.vn/1.jpg",
    "https://user:pw@f20-zpc.zdn.vn/1.jpg",
    "https://127.0.0.1/1.jpg",
    "file:///etc/passwd",
    "not a url at all",
])
async def test_the_default_hosts_refuse_other_urls(core, api, url):
    resolver = Resolver("8.8.8.8")
    async for chair in serve(core, api, resolver=resolver, zalo_file_hosts=None):
        await to_evidence(chair)
        assert await chair.send(api.photo_update(USER, PNG, url=url), USER) == [texts.ZALO_PHOTO_REFUSED]
    assert fetched(api) == []


@pytest.mark.parametrize("addresses", [
    ("127.0.0.1",), ("10.1.2.3",), ("192.168.1.10",), ("169.254.169.254",), ("::1",),
    ("fd00::5",), ("::ffff:127.0.0.1",), ("0.0.0.0",), ("8.8.8.8", "172.16.0.9"),
])
async def test_a_platform_host_that_resolves_to_a_private_address_is_refused(core, api, addresses):
    resolver = Resolver(*addresses)
    async for chair in serve(core, api, resolver=resolver, zalo_file_hosts=None):
        await to_evidence(chair)
        refused = await chair.send(api.photo_update(USER, PNG, url=PLATFORM_PHOTO), USER)
        assert refused == [texts.ZALO_PHOTO_REFUSED]
    assert fetched(api) == [] and resolver.asked == [("f20-zpc.zdn.vn", 443)]


async def test_a_platform_photo_is_fetched_from_the_public_address_that_was_checked(core, api):
    resolver = Resolver("8.8.8.8")
    async for chair in serve(core, api, resolver=resolver, zalo_file_hosts=None):
        await to_evidence(chair)
        [kept] = await chair.send(api.photo_update(USER, PNG, url=PLATFORM_PHOTO), USER)
        assert kept.startswith("Đã nhận tệp anh.jpg")
    assert api.called("GET") == [{"url": PLATFORM_PHOTO, "address": "8.8.8.8"}]


async def test_a_redirect_to_another_host_is_not_followed(core, api):
    resolver = Resolver("8.8.8.8")
    api.redirects[PLATFORM_PHOTO] = "https://evil.example/x.jpg"
    api.files["https://evil.example/x.jpg"] = PNG
    async for chair in serve(core, api, resolver=resolver, zalo_file_hosts=None):
        await to_evidence(chair)
        failed = await chair.send(api.photo_update(USER, PNG, url=PLATFORM_PHOTO), USER)
        assert t.EVIDENCE_FAILED in "\n".join(failed)
    assert fetched(api) == [PLATFORM_PHOTO]


async def test_a_redirect_within_the_same_host_is_followed(core, api):
    resolver = Resolver("8.8.8.8")
    moved = PLATFORM_PHOTO.replace(".jpg", "-moved.jpg")
    api.redirects[PLATFORM_PHOTO] = moved
    api.files[moved] = PNG
    async for chair in serve(core, api, resolver=resolver, zalo_file_hosts=None):
        await to_evidence(chair)
        [kept] = await chair.send(api.photo_update(USER, PNG, url=PLATFORM_PHOTO), USER)
        assert kept.startswith("Đã nhận tệp anh.jpg")
    assert fetched(api) == [PLATFORM_PHOTO, moved]


async def test_a_loopback_file_server_listed_by_name_is_fetched_over_http(core):
    """As a deployment against a local fake does: ZALO_FILE_HOSTS=127.0.0.1, a real socket."""
    files = FakeZalo()
    server = make_server(files)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/p/1.jpg"
    try:
        api = FakeZalo()
        async for chair in serve(core, api, zalo_file_hosts="127.0.0.1"):
            # the bot's API calls stay on the in-process fake; the photo is on the real socket
            chair.app.state.channels.zalo.bot.files_transport = None
            await to_evidence(chair)
            update = api.photo_update(USER, b"", url=url)
            files.files[url] = PNG
            [kept] = await chair.send(update, USER)
            assert kept.startswith("Đã nhận tệp anh.jpg")
    finally:
        server.shutdown()
    assert [call["url"] for call in files.called("GET")] == [url]


def test_zalo_file_hosts_is_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("ZALO_FILE_HOSTS", "files.example.vn, *.cdn.example.vn")
    hosts = FileHosts(Settings(_env_file=None).zalo_file_hosts)
    assert hosts.named == frozenset({"files.example.vn"}) and hosts.suffixes == (".cdn.example.vn",)
    assert FileHosts(None).named == frozenset() and DEFAULT_FILE_HOSTS
