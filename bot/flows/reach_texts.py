"""What the reach flows say: «Đã đọc», /thongbao and /guongsang."""

from __future__ import annotations

READ = "Cảm ơn bạn đã xác nhận đã đọc thông báo."
ALREADY_READ = "Bạn đã xác nhận đọc thông báo này rồi."
NOT_ENROLLED = "Bạn cần đăng ký với trợ lý (bằng mã mời của công đoàn cấp trên) để dùng chức năng này."

CHOICES = ("Các loại thông báo bạn nhận từ công đoàn cấp trên. Bấm để bật hoặc tắt từng loại.\n"
           "(Nhắc hạn công việc của bạn và tin nhắn về vụ việc luôn được gửi, không tắt được.)")
LINE = "{mark} {name}"
ON, OFF = "✅", "⛔"
BUTTON_TURN_OFF = "Tắt: {name}"
BUTTON_TURN_ON = "Bật: {name}"
TURNED_OFF = "Đã tắt loại «{name}». Bạn có thể bật lại bất cứ lúc nào bằng /thongbao."
TURNED_ON = "Đã bật lại loại «{name}»."

NO_EXAMPLES = "Chưa có gương chủ tịch CĐCS tiêu biểu nào được đăng. Hãy quay lại sau."
EXAMPLES = "Gương chủ tịch CĐCS tiêu biểu ({count}). Chọn một câu chuyện để đọc:"
BUTTON_MORE = "Xem thêm ›"
EXAMPLE_HEAD = "🌟 {title}"
EXAMPLE_WHO = "{who}"
EXAMPLE_GONE = "Câu chuyện này không còn được đăng. Gõ /guongsang để xem các câu chuyện khác."
