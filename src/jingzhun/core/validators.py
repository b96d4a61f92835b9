"""Password rules (``settings.AUTH_PASSWORD_VALIDATORS``), every message in Chinese.

Django's own validators (length, common passwords, similarity to the user's attributes) are used with
their messages given here in Chinese, whatever language is active: Django 5.2 reworded the length
message and its Chinese catalogue has not caught up (the page showed "This password is too short…"), and
a message must not depend on a catalogue. Two rules are added because the village offices'
usual choices slip through them: a password of digits only with other separators removed (a phone
number, a birthday ``1985-06-01``), and a password built from the user name (``lishi2020``, ``2020lishi``,
``LiShi-001``), which ``UserAttributeSimilarityValidator`` (a fuzzy ratio) lets pass when the name is
short against the rest.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth import password_validation as django_rules
from django.core.exceptions import ValidationError

DIGITS_ONLY = "密码不能全部是数字（包括手机号、生日、身份证号等），请加入字母。"
FROM_USERNAME = "密码不能包含用户名（不区分大小写），请另选一个。"
HELP_DIGITS = "密码不能全部是数字。"
HELP_NAME = "密码不能包含用户名。"
MIN_NAME_LENGTH = 3  # a two-letter user name would forbid too many ordinary passwords


class NotOnlyDigitsValidator:
    def validate(self, password: str, user: Any = None) -> None:
        stripped = re.sub(r"[\s\-_./:]", "", password)
        if stripped.isdigit():
            raise ValidationError(DIGITS_ONLY, code="password_entirely_numeric")

    def get_help_text(self) -> str:
        return HELP_DIGITS


class NotFromUsernameValidator:
    def validate(self, password: str, user: Any = None) -> None:
        name = str(getattr(user, "username", "") or "").casefold() if user is not None else ""
        if len(name) >= MIN_NAME_LENGTH and name in password.casefold():
            raise ValidationError(FROM_USERNAME, code="password_contains_username")

    def get_help_text(self) -> str:
        return HELP_NAME


class MinimumLengthValidator(django_rules.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return f"密码太短，至少需要 {self.min_length} 个字符。"

    def get_help_text(self) -> str:
        return f"密码至少 {self.min_length} 个字符。"


class UserAttributeSimilarityValidator(django_rules.UserAttributeSimilarityValidator):
    def get_error_message(self) -> str:
        return "密码与%(verbose_name)s太相似，请另选一个。"

    def get_help_text(self) -> str:
        return "密码不能与用户名、姓名或电子邮件地址太相似。"


class CommonPasswordValidator(django_rules.CommonPasswordValidator):
    def get_error_message(self) -> str:
        return "这个密码太常见，容易被猜中，请另选一个。"

    def get_help_text(self) -> str:
        return "密码不能是常用密码。"
