"""Pages in the encodings this beat meets, declared in the header, in a meta
tag, or not at all, decode to the right text."""
from __future__ import annotations

import pytest

from transforms.decode import decode_html

ZH = "深度求索发布新的大模型，腾讯和阿里巴巴股价在香港大涨，投资者认为人工智能行业将迎来强劲增长。" * 3
ZH_TW = "深度求索發布新的大模型，騰訊和阿里巴巴股價在香港大漲，投資者認為人工智慧行業將迎來強勁增長。" * 3
AR = "أعلنت شركة ديب سيك عن نموذج جديد للذكاء الاصطناعي، وارتفعت أسهم تينسنت في بورصة هونغ كونغ بقوة. " * 3


def page(text: str, meta: str | None = None) -> str:
    head = f'<meta charset="{meta}">' if meta else ""
    return f"<html><head>{head}<title>t</title></head><body><p>{text}</p></body></html>"


@pytest.mark.parametrize("text, encoding", [
    (ZH, "gbk"), (ZH, "gb2312"), (ZH, "gb18030"), (ZH_TW, "big5"), (AR, "windows-1256"), (AR, "utf-8"),
])
@pytest.mark.parametrize("declared", ["header", "meta", "none"])
def test_decodes(text, encoding, declared):
    body = page(text, encoding if declared == "meta" else None).encode(encoding)
    ctype = f"text/html; charset={encoding}" if declared == "header" else "text/html"
    assert text in decode_html(body, ctype)


def test_header_wins_over_a_wrong_meta():
    body = page(ZH, "iso-8859-1").encode("gbk")
    assert ZH in decode_html(body, "text/html; charset=gbk")
