"""Password validators whose messages Django leaves untranslated in zh-hans."""

from django.contrib.auth import password_validation


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's minimum length, with its message in Chinese (zh-hans has no translation
    of the plural form, so users saw it in English)."""

    def get_error_message(self):
        return f"密码太短,至少需要 {self.min_length} 个字符。"

    def get_help_text(self):
        return f"密码至少需要 {self.min_length} 个字符。"
