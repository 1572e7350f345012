"""Non-HTML resources of the sample portal: images, attachments, CSS/JS, robots.txt, sitemaps, error pages.

All bytes are built deterministically (gzip with mtime 0, no timestamps from "now").
"""

from __future__ import annotations

import gzip
import struct
import zlib
from collections.abc import Sequence
from html import escape
from xml.sax.saxutils import escape as xml_escape

from . import content as c
from .templates import BASE

BIG_ARCHIVE_SIZE = 3 * 1024 * 1024


def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A tiny but valid PNG filled with one colour."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" + bytes(rgb) * width
    raw = zlib.compress(row * height, 9)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def pdf(text: str) -> bytes:
    """A one-page PDF 1.4 with a correct xref table. ``text`` must be ASCII."""
    stream = f"BT /F1 16 Tf 72 770 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def ole(label: str) -> bytes:
    """Bytes that look like a legacy Office (OLE2 compound) file: magic header plus padding."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16) + b"\x3e\x00\x03\x00\xfe\xff\x09\x00"
    body = header + label.encode("ascii")
    return body + bytes(1024 - len(body))


def big_archive() -> bytes:
    """The 3 MiB attachment: a ZIP local-file signature followed by zero bytes (cheap to build)."""
    return b"PK\x03\x04" + bytes(BIG_ARCHIVE_SIZE - 4)


CSS = """body{margin:0;font:14px/1.8 "Microsoft YaHei",SimSun,sans-serif;color:#333}
a{color:#333;text-decoration:none}a:hover{color:#c00}
.w1200{width:1200px;margin:0 auto}.topbar{background:#f5f5f5;height:32px;line-height:32px}
.header{height:120px;background:#0d5ba8}.site-title{color:#fff;font-size:30px}
.navbar{background:#0a4a8c}.nav li,.subnav li{display:inline-block;padding:0 22px}.nav a{color:#fff}
.position{height:40px;line-height:40px}.list li{display:flex;justify-content:space-between}
.sidebar{float:left;width:240px}.content{margin-left:260px}.bszn-table th{width:120px;background:#eef4fb}
.footer{background:#0d5ba8;color:#fff;padding:20px 0}.footer a{color:#fff}
@media (max-width:768px){.w1200{width:auto}.sidebar{float:none;width:auto}.content{margin-left:0}}
"""

COMMON_JS = """function doZoom(size){var el=document.getElementById('zoom');if(el){el.style.fontSize=size+'px';}}
function toggleAccessible(){document.body.classList.toggle('accessible');}
function toggleElder(){document.body.classList.toggle('elder');}
function toggleTraditional(){document.body.classList.toggle('zh-hant');}
"""

GUIDE_JS = """(function(){
  var box=document.getElementById('guide-app');
  if(!box){return;}
  fetch('/api/guide?id='+box.getAttribute('data-guide-id')).then(function(r){return r.json();}).then(function(data){
    var html='<table class="bszn-table">';
    for(var i=0;i<data.rows.length;i++){html+='<tr><th>'+data.rows[i][0]+'</th><td>'+data.rows[i][1]+'</td></tr>';}
    box.innerHTML=html+'</table>';
  });
})();
"""

ROBOTS_TXT = """# robots.txt for {site}
# 云溪市人民政府门户网站

User-agent: *
Disallow: /admin/
Disallow: /search/

User-agent: Baiduspider
Disallow: /admin/
Disallow: /search/
Disallow: {blocked}

Sitemap: {base}/sitemap_index.xml
"""


def robots_txt(baidu_blocked: str) -> bytes:
    return ROBOTS_TXT.format(site=c.SITE_FULL_NAME, blocked=baidu_blocked, base=BASE).encode("utf-8")


SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def sitemap_index(children: Sequence[tuple[str, str]]) -> bytes:
    """``children``: (path, lastmod)."""
    items = "".join(f"<sitemap><loc>{BASE}{xml_escape(p)}</loc><lastmod>{m}</lastmod></sitemap>\n"
                    for p, m in children)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{SITEMAP_NS}">\n{items}'
            "</sitemapindex>\n").encode()


def urlset(entries: Sequence[tuple[str, str]]) -> bytes:
    """``entries``: (path, lastmod YYYY-MM-DD)."""
    items = "".join(f"<url><loc>{BASE}{xml_escape(p)}</loc><lastmod>{m}</lastmod>"
                    "<changefreq>monthly</changefreq></url>\n" for p, m in entries)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{SITEMAP_NS}">\n{items}'
            "</urlset>\n").encode()


def gzip_bytes(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=9, mtime=0)


def text_sitemap(paths: Sequence[str]) -> bytes:
    return "".join(f"{BASE}{p}\n" for p in paths).encode("utf-8")


def error_page(status: int, title: str, message: str) -> bytes:
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{status} {escape(title)}_{c.SITE_NAME}</title>
</head>
<body>
<div class="error-page">
<h1>{status} {escape(title)}</h1>
<p>{escape(message)}</p>
<p><a href="/">返回首页</a></p>
</div>
</body>
</html>
""".encode()


def nginx_redirect_body(status: int) -> bytes:
    reason = {301: "Moved Permanently", 302: "Found"}[status]
    return (f"<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n<center><h1>{status} {reason}"
            "</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n").encode("ascii")
