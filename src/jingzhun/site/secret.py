"""The site's ``SECRET_KEY``: the development key is refused wherever the site is served without debug.

``settings.SECRET_KEY`` comes from ``JINGZHUN_SECRET_KEY``; unset, it is ``DEVELOPMENT_KEY``, which is in
this public source and so signs nothing safely (sessions, CSRF tokens, password-reset links). Commands that
do not serve (migrate, imports, entitle, the tests) keep working with it. What serves refuses it when
``JINGZHUN_DEBUG`` is off: ``jingzhun serve`` (exits with ``REFUSAL``) and ``jingzhun.site.wsgi`` (any
WSGI server raises ``ImproperlyConfigured`` with the same Chinese text).

``jingzhun demo`` generates a random key once, keeps it in ``var/secret-key`` (mode 600, reused by the
next demo so its sessions survive) and hands it to the ``serve`` it re-executes through the environment
(``JINGZHUN_SECRET_KEY``). Settings never read that file: a production server is configured by its
environment only.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

DEVELOPMENT_KEY = "jingzhun-development-key-not-for-production-use"
ENV = "JINGZHUN_SECRET_KEY"
REFUSAL = (
    "拒绝启动：未设置 JINGZHUN_SECRET_KEY，正在使用公开的开发用密钥（会话和 CSRF 令牌可被伪造）。\n"
    "请生成一个随机密钥并写入环境变量后再启动，例如：\n"
    "  export JINGZHUN_SECRET_KEY=\"$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')\"\n"
    "（密钥请妥善保管、各台服务器保持一致；仅本机调试可改设 JINGZHUN_DEBUG=1。）"
)


def refused(debug: bool, key: str) -> bool:
    """True when a server must not start: debug off and the development key (or no key at all)."""
    return not debug and (not key or key == DEVELOPMENT_KEY)


def demo_key(var_dir: Path) -> str:
    """The demo's own key: ``var_dir/secret-key``, created (random, mode 600) on first use."""
    path = var_dir / "secret-key"
    if path.exists():
        key = path.read_text(encoding="utf-8").strip()
        if key and key != DEVELOPMENT_KEY:
            path.chmod(0o600)
            return key
    var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(key + "\n")
    path.chmod(0o600)
    return key
