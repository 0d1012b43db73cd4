"""Words of /camnang (the handbook)."""

from __future__ import annotations

LIST = "📘 Cẩm nang chủ tịch CĐCS: chọn một chương để đọc."
EMPTY = "Cẩm nang chưa có chương nào."
BROKEN = "Cẩm nang đang được cập nhật, xin thử lại sau ít phút."
PART = "\n\n(phần {number}/{count})"
NEXT = "Tiếp ▶"
CONTENTS = "☰ Mục lục"
ARTICLE = "📖 {label}"
POINTER = "📘 Cẩm nang: {title}"
