"""Outstanding chairpersons' stories: staff write one about a chairperson in the register, record
their consent (how, when, who wrote it down); publishing without consent is refused; chairpersons
browse the published ones with /guongsang, one at a time under the channel's length limit; staff
send one as an announcement of the kind "example"."""

from __future__ import annotations

import pytest
from bot_fixtures import event
from reach_helpers import STAFF, RecordingOutbox, csrf, sender, web_client, world

from reach.announcements import Announcements
from reach.examples import ExampleError, Examples
from reach.messages import MESSAGE_LIMIT, example_payload
from reach.models import Announcement, OutstandingExample

STORY = ("Chị Lan đã thương lượng thành công thỏa ước lao động tập thể cho 1.200 công nhân, "
         "tăng phụ cấp ăn ca và giữ được việc làm cho người lao động khi doanh nghiệp khó khăn.")


def test_publishing_without_consent_is_refused_and_with_it_allowed(sqlite_db):
    people = world(sqlite_db)
    desk = Examples(sqlite_db)
    chair = people.chair_ids[people.chairs["LDLD-1"][0]]
    number = desk.write(title="Người giữ việc làm cho công nhân", story=STORY, chair_id=chair)
    with pytest.raises(ExampleError) as refused:
        desk.publish(number)
    assert "đồng ý" in refused.value.message
    assert desk.published() == []
    with pytest.raises(ExampleError):
        desk.record_consent(number, how="  ", on="", by_person_id=people.staff)
    with pytest.raises(ExampleError) as bad_day:
        desk.record_consent(number, how="Đồng ý bằng văn bản", on="31/02/2026", by_person_id=people.staff)
    assert "dd/mm/yyyy" in bad_day.value.message
    desk.record_consent(number, how="Đồng ý bằng văn bản", on="02/11/2026", by_person_id=people.staff)
    desk.publish(number)
    [shown] = desk.published()
    assert shown.chair_name == "Chủ tịch 1" and shown.union_name == "CĐCS Công ty 1"
    with sqlite_db.session() as session:
        row = session.get(OutstandingExample, number)
        assert (row.consent_note, row.consent_at.day, row.consent_recorded_by_person_id) == (
            "Đồng ý bằng văn bản", 2, people.staff)
    desk.publish(number, publish=False)  # consent withdrawn: gone from the bot
    assert desk.published() == []


def test_an_empty_or_unknown_story_is_refused(sqlite_db):
    world(sqlite_db)
    desk = Examples(sqlite_db)
    with pytest.raises(ExampleError):
        desk.write(title="", story=STORY, chair_id=None)
    with pytest.raises(ExampleError) as unknown:
        desk.write(title="Tiêu đề", story=STORY, chair_id=99999)
    assert "sổ theo dõi" in unknown.value.message
    with pytest.raises(ExampleError):
        desk.write(title="Tiêu đề", story="x" * 5000, chair_id=None)


async def test_chairpersons_browse_published_examples_one_at_a_time(fake_core):
    db = fake_core.store.db
    people = world(db, zalo_every=0)
    desk = Examples(db)
    long_story = "\n\n".join([STORY] * 18)  # longer than one Zalo message
    published = []
    for number in range(10):
        example = desk.write(title=f"Gương số {number}", story=long_story if number == 0 else STORY,
                             chair_id=people.chair_ids[people.chairs["LDLD-1"][0]])
        desk.record_consent(example, how="Qua điện thoại", on="", by_person_id=people.staff)
        desk.publish(example)
        published.append(example)
    hidden = desk.write(title="Chưa đồng ý", story=STORY, chair_id=None)

    async def say(text: str = "", payload: str = ""):
        kind = "button" if payload else "text"
        return await fake_core.handle(event(text, kind=kind, payload=payload, user="2001", channel="telegram"))

    [listing] = await say("/guongsang")
    labels = [b.label for b in listing.flat_buttons]
    assert "(10)" in listing.text and len(labels) == 9 and labels[-1] == "Xem thêm ›"
    assert "Chưa đồng ý" not in labels
    [more] = await say(payload=listing.flat_buttons[-1].payload)
    assert [b.label for b in more.flat_buttons] == ["Gương số 1", "Gương số 0"]
    parts = await say(payload=example_payload(published[0]))
    assert len(parts) > 1 and all(len(p.text) <= MESSAGE_LIMIT for p in parts)
    assert parts[0].text.startswith("🌟 Gương số 0") and "Chủ tịch 1" in parts[0].text
    [gone] = await say(payload=example_payload(hidden))
    assert "không còn được đăng" in gone.text
    [forged] = await say(payload="gs:p:99")
    assert "hết hạn" in forged.text


async def test_staff_send_an_example_as_an_announcement_of_its_kind(sqlite_db, tmp_path):
    people = world(sqlite_db)
    client = web_client(sqlite_db, tmp_path, people)("canbo")
    form = client.get("/staff/examples")
    chair = people.chair_ids[people.chairs["LDLD-2"][0]]
    made = client.post("/staff/examples/new", data={"csrf": csrf(form.text), "title": "Gương sáng Hoa Lư",
                                                   "story": STORY, "chair": str(chair)}, follow_redirects=False)
    assert made.status_code == 303
    page = client.get(made.headers["location"])
    token = csrf(page.text)
    number = made.headers["location"].split("/")[-1].split("?")[0]
    refused = client.post(f"/staff/examples/{number}/publish", data={"csrf": token})
    assert refused.status_code == 400 and "Chưa ghi nhận sự đồng ý" in refused.text
    assert client.post(f"/staff/examples/{number}/consent",
                       data={"csrf": token, "how": "Đồng ý bằng văn bản", "on": "01/11/2026"}).status_code == 200
    published = client.post(f"/staff/examples/{number}/publish", data={"csrf": token})
    assert "Đã đăng" in published.text
    sent = client.post(f"/staff/examples/{number}/announce",
                       data={"csrf": token, "units": str(people.units["LDLD-2"])}, follow_redirects=False)
    assert sent.status_code == 303
    preview = client.get(sent.headers["location"])
    assert "Xem trước người nhận" in preview.text and "LĐLĐ huyện 2" in preview.text
    with sqlite_db.session() as session:
        announcement = session.query(Announcement).one()
        assert (announcement.kind, announcement.example_id) == ("example", int(number))
    Announcements(sqlite_db).send(STAFF, announcement.id)
    outbox = RecordingOutbox()
    await sender(sqlite_db, outbox).send_due()
    assert len(outbox.sent) == 3 and all("Gương sáng Hoa Lư" in replies[0].text for _, _, replies in outbox.sent)


def test_unit_officers_cannot_open_the_examples_pages(sqlite_db, tmp_path):
    people = world(sqlite_db)
    officer = web_client(sqlite_db, tmp_path, people)("giavien")
    assert officer.get("/staff/examples").status_code == 403
