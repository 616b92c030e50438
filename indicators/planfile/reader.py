"""YAML that remembers where each key stood, and the reader that walks it, recording
every problem with its line and field instead of stopping at the first."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

import yaml

from indicators.planfile.schema import CODE_RE, ENTITY_CODE_LENGTH


class _Map(dict):
    """A YAML mapping that remembers the line of each of its keys."""

    line: int = 0
    key_lines: dict


class _Loader(yaml.SafeLoader):
    pass


def _construct_mapping(loader, node, deep=False):
    loader.flatten_mapping(node)
    result = _Map()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise yaml.MarkedYAMLError(problem=f"重复的字段“{key}”", problem_mark=key_node.start_mark)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_timestamp(loader, node):
    # "2022-05-32" looks like a date to YAML but is none: keep the text, so that the
    # field's check reports it with its line and field instead of a crash.
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return node.value


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


class _Reader:
    """Walks the parsed YAML, recording problems instead of stopping at the first."""

    def __init__(self):
        self.problems: list[str] = []

    def problem(self, mapping, key, path, message):
        line = getattr(mapping, "key_lines", {}).get(key) or getattr(mapping, "line", 0)
        where = f"第{line}行" if line else "文件"
        self.problems.append(f"{where} {path}.{key}: {message}" if key else f"{where} {path}: {message}")

    def fields(self, mapping, path, allowed):
        for key in mapping if isinstance(mapping, dict) else ():
            if key not in allowed:
                self.problem(mapping, key, path, f"未知的字段“{key}”(请检查拼写;可用字段见 fixtures/PLAN_FORMAT.md)")

    def get(self, mapping, key, path, *, required=True, kind=str, default=None, max_length=None):
        if not isinstance(mapping, dict):
            self.problems.append(f"{path}: 应为键值映射")
            return default
        if key not in mapping or mapping[key] is None or mapping[key] == "":
            if required:
                self.problem(mapping, None, path, f"缺少必填字段“{key}”")
            return default
        raw = mapping[key]
        try:
            value = self._convert(raw, kind)
        except (ValueError, InvalidOperation, TypeError):
            names = {str: "文本", int: "整数", Decimal: "数字", date: "日期(YYYY-MM-DD)", bool: "true 或 false", list: "列表"}
            self.problem(mapping, key, path, f"“{raw}”不是有效的{names.get(kind, kind)}")
            return default
        if max_length is not None and len(value) > max_length:
            self.problem(mapping, key, path, f"超过 {max_length} 个字(当前 {len(value)} 个字)")
            return default
        return value

    @staticmethod
    def _convert(raw, kind):
        if kind is str:
            if isinstance(raw, (dict, list)):
                raise ValueError
            if "\x00" in str(raw):  # no database stores a NUL character in text
                raise ValueError
            return str(raw).strip()
        if kind is int:
            if isinstance(raw, bool) or not isinstance(raw, int):
                raise ValueError
            return raw
        if kind is Decimal:
            if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
                raise ValueError
            value = Decimal(str(raw))
            if not value.is_finite() or abs(value) >= Decimal(10) ** 14:
                raise ValueError
            return value
        if kind is date:
            if isinstance(raw, date):
                return raw
            return date.fromisoformat(str(raw))
        if kind is bool:
            if not isinstance(raw, bool):
                raise ValueError
            return raw
        if kind is list:
            if not isinstance(raw, list):
                raise ValueError
            return raw
        raise TypeError(kind)

    def code(self, mapping, path, key="code", max_length=ENTITY_CODE_LENGTH):
        value = self.get(mapping, key, path, max_length=max_length)
        if value is not None and not CODE_RE.match(value):
            self.problem(mapping, key, path, f"编码“{value}”只能包含小写字母、数字、下划线和连字符")
        return value

    def choice(self, mapping, key, path, choices, *, required=True, default=None):
        value = self.get(mapping, key, path, required=required, default=None)
        if value is None:
            return default
        if value not in choices:
            self.problem(mapping, key, path, f"“{value}”不是可选值之一({' / '.join(sorted(choices))})")
            return default
        return value

    def items(self, mapping, key, path, *, required=True):
        value = self.get(mapping, key, path, required=required, kind=list, default=[])
        # An item is named by its place and, when it has one, its code: "metrics[5](ip_rank)".
        return [
            (f"{path}.{key}[{i}]" + (f"({item['code']})" if isinstance(item, dict) and item.get("code") else ""), item)
            for i, item in enumerate(value or [])
        ]
