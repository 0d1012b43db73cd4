"""Every Vietnamese sentence the bot says, in one place (plain text; adapters escape it)."""

from __future__ import annotations

# Commands as users type them, with the descriptions Telegram shows in its menu.
COMMANDS: dict[str, str] = {
    "hoi": "Hỏi về pháp luật lao động, công đoàn",
    "baocao": "Báo vụ việc, đề nghị bảo vệ cán bộ công đoàn",
    "vuviec": "Xem vụ việc đã báo",
    "camnang": "Cẩm nang chủ tịch CĐCS",
    "hoso": "Hồ sơ của tôi trong sổ theo dõi",
    "thamdu": "Xác nhận tham dự tập huấn (gõ kèm mã)",
    "guongsang": "Gương chủ tịch CĐCS tiêu biểu",
    "thongbao": "Chọn loại thông báo muốn nhận",
    "baocaoketqua": "Cán bộ đơn vị: điền báo cáo kết quả",
    "tiendo": "Cán bộ: tiến độ báo cáo các đơn vị",
    "trogiup": "Hướng dẫn sử dụng",
    "start": "Bắt đầu, giới thiệu trợ lý",
}

COMMAND_LIST = (
    "Các lệnh bạn có thể dùng:\n"
    "/hoi <câu hỏi> — hỏi về pháp luật lao động, công đoàn và kế hoạch của tỉnh\n"
    "/baocao — báo vụ việc, đề nghị bảo vệ cán bộ công đoàn (được giữ kín)\n"
    "/vuviec — xem vụ việc đã báo\n"
    "/camnang — cẩm nang chủ tịch CĐCS\n"
    "/hoso — hồ sơ của bạn trong sổ theo dõi CĐCS, đề nghị sửa\n"
    "/thamdu <mã> — xác nhận đã tham dự buổi tập huấn\n"
    "/guongsang — gương chủ tịch CĐCS tiêu biểu\n"
    "/thongbao — chọn loại thông báo muốn nhận\n"
    "/baocaoketqua — cán bộ đơn vị: điền báo cáo kết quả 6 tháng, năm\n"
    "/tiendo — cán bộ: tiến độ báo cáo của các đơn vị\n"
    "/huy — dừng việc đang làm\n"
    "/trogiup — hướng dẫn sử dụng\n"
    "/start — giới thiệu trợ lý\n"
    "Bạn cũng có thể gõ thẳng câu hỏi, không cần lệnh."
)

WELCOME = (
    "Xin chào {name}! Tôi là Trợ lý CĐCS của Liên đoàn Lao động tỉnh Ninh Bình.\n\n"
    "Tôi trả lời câu hỏi về Bộ luật Lao động 2019, Luật Công đoàn 2024, các nghị định liên quan "
    "và kế hoạch xây dựng đội ngũ chủ tịch công đoàn cơ sở, kèm trích dẫn đúng điều, khoản.\n\n"
    "Cứ gõ câu hỏi của bạn, có dấu hay không dấu đều được. Ví dụ: "
    "«Công ty có được sa thải chủ tịch công đoàn không?»\n"
    "Gõ /trogiup để xem hướng dẫn."
)

HELP = (
    "Hướng dẫn sử dụng Trợ lý CĐCS\n\n"
    "• Gõ câu hỏi bằng tiếng Việt, có dấu hoặc không dấu, viết tắt cũng được (BLLĐ, NLĐ, CĐCS…).\n"
    "• Hỏi thẳng một điều luật: «điều 36 blld», «dieu 24 luat cong doan».\n"
    "• Mỗi câu trả lời trích nguyên văn và ghi rõ điều, khoản, văn bản.\n"
    "• Bấm «Đọc toàn văn» để xem cả điều luật; bấm 👍 hoặc 👎 để góp ý.\n"
    "• Nếu tôi không tìm thấy, bạn có thể gửi câu hỏi cho cán bộ LĐLĐ tỉnh.\n\n"
    + COMMAND_LIST
)

# Example questions offered under the welcome message (button label = the question).
EXAMPLES: tuple[str, ...] = (
    "Công ty có được sa thải chủ tịch công đoàn không?",
    "Thời gian hoạt động công đoàn của chủ tịch CĐCS",
    "Điều 36 Bộ luật Lao động",
)

ASK_PROMPT = "Mời bạn gõ câu hỏi. Ví dụ: «Người lao động được nghỉ phép năm bao nhiêu ngày?»"
UNKNOWN_COMMAND = "Tôi chưa hiểu lệnh {command}.\n\n" + COMMAND_LIST

EMPTY = "Bạn chưa nhập nội dung. Hãy gõ câu hỏi của bạn bằng chữ."
NO_WORDS = (
    "Tôi chỉ đọc được câu hỏi bằng chữ. Bạn hãy gõ câu hỏi, ví dụ: "
    "«Thủ tục thành lập công đoàn cơ sở?»"
)
TOO_LONG = (
    "Câu hỏi dài quá ({length} ký tự) nên tôi chưa trả lời được. "
    "Bạn hãy rút gọn dưới {limit} ký tự, chỉ nêu ý chính, mỗi lần một câu hỏi."
)
NOT_VIETNAMESE = (
    "Tôi chỉ trả lời bằng tiếng Việt, theo văn bản pháp luật Việt Nam. "
    "Bạn hãy gõ lại câu hỏi bằng tiếng Việt (có dấu hoặc không dấu đều được)."
)
NON_TEXT = (
    "Tôi chưa đọc được {kind}. Bạn hãy gõ câu hỏi bằng chữ, "
    "hoặc gõ /trogiup để xem hướng dẫn."
)
KIND_NAMES: dict[str, str] = {
    "sticker": "nhãn dán (sticker)",
    "photo": "hình ảnh",
    "document": "tệp đính kèm",
    "voice": "tin nhắn thoại",
    "audio": "tệp âm thanh",
    "video": "video",
    "video_note": "video",
    "animation": "ảnh động (GIF)",
    "location": "vị trí",
    "contact": "danh bạ",
}
KIND_FALLBACK = "loại tin nhắn này"

# Zalo only. A protected account (a child's, and some others Zalo shields by law) reaches the bot
# as "message.unsupported.received": Zalo withholds what was sent, so the bot cannot read it.
ZALO_PROTECTED = (
    "Tài khoản Zalo của bạn thuộc nhóm được Zalo bảo vệ (ví dụ tài khoản của trẻ em), nên Zalo "
    "không chuyển nội dung tin nhắn của bạn cho tôi và tôi không biết bạn đã gửi gì. "
    "Bạn có thể nhắn từ một tài khoản Zalo khác hoặc qua Telegram, "
    "hoặc liên hệ trực tiếp cán bộ Liên đoàn Lao động tỉnh."
)
# A photo whose link does not lead to Zalo's own file servers: it is not downloaded.
ZALO_PHOTO_REFUSED = (
    "Tôi không tải ảnh này về: đường dẫn của ảnh không thuộc máy chủ tệp của Zalo, nên để an toàn "
    "tôi không mở nó. Bạn hãy gửi lại ảnh trực tiếp trong Zalo (chụp mới hoặc chọn từ thư viện ảnh)."
)

# Small talk: a greeting or a thanks is not a question for the knowledge base (or for staff).
GREETING = (
    "Xin chào! Bạn cứ gõ câu hỏi về pháp luật lao động, công đoàn; "
    "tôi sẽ trả lời kèm trích dẫn điều, khoản."
)
THANKS = "Không có gì ạ! Khi cần, bạn cứ gõ câu hỏi tiếp."
# Folded (no marks, lowercase) messages that count as small talk.
GREETINGS = frozenset({"xin chao", "chao", "chao ban", "chao bot", "alo", "hello", "hi", "hey"})
THANKS_WORDS = frozenset({"cam on", "cam on ban", "cam on nhieu", "thanks", "thank you", "ok", "oke"})

# Buttons under an answer.
READ_ARTICLE = "📖 Đọc toàn văn {article}"
READ_RELATED = "🔗 {label}"
USEFUL = "👍 Hữu ích"
NOT_RIGHT = "👎 Chưa đúng"
TO_STAFF = "📨 Gửi câu hỏi cho cán bộ LĐLĐ tỉnh"

FEEDBACK_THANKS_USEFUL = "Cảm ơn bạn đã góp ý! Tôi ghi nhận câu trả lời này hữu ích."
FEEDBACK_THANKS_NOT_RIGHT = (
    "Cảm ơn bạn đã góp ý! Tôi ghi nhận câu trả lời này chưa đúng; "
    "cán bộ LĐLĐ tỉnh sẽ xem lại để cải thiện."
)
QUEUED = (
    "Đã gửi câu hỏi của bạn cho cán bộ LĐLĐ tỉnh. "
    "Khi có trả lời, tôi sẽ nhắn lại cho bạn tại đây."
)
ALREADY_QUEUED = "Câu hỏi này đã được gửi cho cán bộ LĐLĐ tỉnh trước đó; bạn không cần gửi lại."
ARTICLE_MISSING = "Xin lỗi, tôi không tìm thấy toàn văn của điều này."

EXPIRED = "Menu này đã hết hạn hoặc không còn dùng được. Bạn hãy gõ lại câu hỏi, hoặc gõ /trogiup."
ERROR = "Xin lỗi, đã có lỗi khi xử lý tin nhắn của bạn. Bạn vui lòng thử lại sau ít phút."

# Console only.
CONSOLE_BANNER = (
    "Trợ lý CĐCS — cửa sổ trò chuyện trên máy. Gõ câu hỏi rồi Enter; "
    "gõ số để bấm nút; /thoat để thoát."
)
CONSOLE_BYE = "Tạm biệt!"
CONSOLE_NO_CHOICE = "Không có lựa chọn số {number}. Hãy gõ số từ 1 đến {count}."
CONSOLE_QUIT = "thoat"


def number(value: int) -> str:
    """20000 → '20.000' (Vietnamese thousands separator)."""
    return f"{value:,}".replace(",", ".")

# A provincial staff member's earlier answer to a close question, cited beside the law's text.
STAFF_ANSWER = ("\n\n💬 Cán bộ LĐLĐ tỉnh đã trả lời một câu hỏi tương tự (ngày {date}):\n{answer}\n"
                "(Đây là ý kiến của cán bộ, không phải văn bản pháp luật.)")
