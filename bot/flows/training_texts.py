"""Words of the training flow that only the bot says (the domain's own are in
``reach.training_texts``)."""

from __future__ import annotations

CODE_PROMPT = ("Hãy gõ mã tham dự mà ban tổ chức đọc tại buổi tập huấn (6 ký tự, ví dụ: K7M2QX). "
               "Gõ /huy để thôi.")
QUIZ_QUESTION = "Câu {number}/{count}: {question}\n{choices}\n\nTrả lời bằng một số từ 1 đến {last}."
QUIZ_BAD_ANSWER = "Xin trả lời câu {number} bằng một số từ 1 đến {last}."
