"""Vietnamese words of training sessions: the invitation and reminders the sender delivers, the
answers to an RSVP, attendance and the quiz, and why staff input is refused. Kept together so
the bot, the sender and the web page say the same thing."""

from __future__ import annotations

BUTTON_YES = "✅ Tham gia"
BUTTON_NO = "❌ Không tham gia"
BUTTON_QUIZ = "📝 Làm bài kiểm tra"

INVITE = ("📣 Mời tham gia tập huấn: {topic}\n"
          "🕘 Thời gian: {when}\n"
          "{where}"
          "{organiser}"
          "{capacity}"
          "\nXin bấm «Tham gia» hoặc «Không tham gia» để ban tổ chức chuẩn bị chỗ.")
DAY_BEFORE = ("⏰ Nhắc lịch: ngày mai có buổi tập huấn «{topic}».\n"
              "🕘 Thời gian: {when}\n"
              "{where}")
SAME_DAY = ("⏰ Hôm nay có buổi tập huấn «{topic}».\n"
            "🕘 Thời gian: {when}\n"
            "{where}")
UNANSWERED = "\nBạn chưa trả lời lời mời: xin bấm «Tham gia» hoặc «Không tham gia»."
CODE_HINT = "\nTại buổi tập huấn, ban tổ chức sẽ đọc một mã; gõ /thamdu MÃ để xác nhận đã tham dự."
PLACE = "📍 Địa điểm: {place}\n"
ONLINE = "🔗 Trực tuyến: {url}\n"
ORGANISER = "🏢 Đơn vị tổ chức: {organiser}\n"
CAPACITY = "👥 Số chỗ: {capacity}\n"

YES = "Đã ghi nhận: bạn sẽ tham gia buổi «{topic}» lúc {when}. Trợ lý sẽ nhắc bạn trước buổi học."
NO = "Đã ghi nhận: bạn không tham gia buổi «{topic}». Nếu đổi ý, bấm «Tham gia» khi còn chỗ."
FULL = ("Rất tiếc, buổi «{topic}» đã đủ {capacity} người đăng ký. Bạn chưa được ghi tên; "
        "ban tổ chức sẽ thông báo khi có buổi tiếp theo.")
SAME_ANSWER_YES = "Bạn đã đăng ký tham gia buổi «{topic}» rồi."
SAME_ANSWER_NO = "Bạn đã báo không tham gia buổi «{topic}» rồi."
EXPIRED = ("Lời mời này không còn hiệu lực: buổi tập huấn đã diễn ra hoặc đã bị huỷ. "
           "Nếu cần, hãy liên hệ cán bộ công đoàn cấp trên.")
NOT_YOURS = "Lời mời này không phải của bạn."

CODE_UNKNOWN = ("Mã «{code}» không đúng với buổi tập huấn nào đang mở xác nhận. Hãy kiểm tra lại mã "
                "(chữ và số, không dấu) rồi gõ /thamdu MÃ.")
CODE_NOT_INVITED = ("Bạn không có trong danh sách mời của buổi «{topic}». Hãy báo ban tổ chức để được "
                    "ghi nhận tham dự.")
ATTENDED = "✅ Đã ghi nhận bạn tham dự buổi «{topic}» ngày {day}. Cảm ơn bạn!"
ALREADY_ATTENDED = "Bạn đã được ghi nhận tham dự buổi «{topic}» rồi."
QUIZ_OFFER = "\nBuổi học có bài kiểm tra ngắn ({count} câu). Bấm «Làm bài kiểm tra» khi bạn sẵn sàng."

QUIZ_DONE = "🎓 Bạn đã làm xong bài kiểm tra: đúng {score}/{count} câu. Cảm ơn bạn!"
QUIZ_ALREADY = "Bạn đã làm bài kiểm tra của buổi «{topic}» rồi: đúng {score}/{count} câu."
QUIZ_NONE = "Buổi «{topic}» không có bài kiểm tra."
QUIZ_NOT_ATTENDED = "Bài kiểm tra dành cho người đã tham dự buổi «{topic}». Hãy xác nhận tham dự trước."

# Why staff input was refused (the web page shows these).
ERRORS = {
    "empty_topic": "Chủ đề buổi tập huấn không được để trống.",
    "long_topic": "Chủ đề quá dài (tối đa 300 ký tự).",
    "bad_time": "Ngày giờ không hợp lệ: hãy nhập ngày dạng dd/mm/yyyy và giờ dạng HH:MM.",
    "past": "Thời gian bắt đầu {when} đã qua: hãy chọn một thời điểm trong tương lai.",
    "no_place": "Hãy nhập địa điểm hoặc đường dẫn học trực tuyến.",
    "bad_url": "Đường dẫn trực tuyến phải bắt đầu bằng http:// hoặc https://.",
    "bad_capacity": "Số chỗ phải là một số nguyên từ 1 trở lên (để trống nếu không giới hạn).",
    "no_units": "Hãy chọn ít nhất một đơn vị được mời.",
    "unknown_unit": "Có đơn vị được chọn không tồn tại hoặc đã ngừng hoạt động.",
    "no_session": "Không tìm thấy buổi tập huấn này.",
    "cancelled": "Buổi tập huấn này đã bị huỷ.",
    "quiz_format": "Bài kiểm tra chưa đúng mẫu ở câu {number}: {problem}",
    "quiz_too_long": "Bài kiểm tra tối đa {limit} câu.",
}
QUIZ_PROBLEMS = {
    "no_question": "thiếu nội dung câu hỏi.",
    "few_choices": "cần ít nhất 2 lựa chọn, mỗi dòng bắt đầu bằng số thứ tự (1. …).",
    "no_answer": "hãy đánh dấu đúng một đáp án bằng dấu * ở đầu dòng (ví dụ: *2. …).",
    "many_answers": "chỉ được đánh dấu một đáp án đúng.",
    "numbering": "các lựa chọn phải đánh số liên tiếp 1, 2, 3…",
}

RESPONSES = {"yes": "Tham gia", "no": "Không tham gia", "": "Chưa trả lời"}
STATUSES = {"planned": "Sắp diễn ra", "held": "Đã diễn ra", "cancelled": "Đã huỷ"}
