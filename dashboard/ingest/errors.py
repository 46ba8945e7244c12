"""Errors raised while reading an extract or a mapping file, and the message of an import that failed
after it had published."""

from __future__ import annotations


class ExtractError(Exception):
    """The file cannot be imported at all.

    The message is in Simplified Chinese and meant for the user as is (it names the file and says what to
    do). Row-level problems are never raised: they go to the quarantine with a reason.
    """


class PublishedThenFailed(ExtractError):
    """The import failed after it had published a snapshot (its audit line, the analysis, the import process
    itself): the data did change. The message (published_message) says which version, what did not finish
    and what to do; never 未作任何改动."""

    def __init__(self, message: str, version: str | None = None):
        super().__init__(message)
        self.version = version


class AnalysisInterrupted(PublishedThenFailed):
    """The import's process died after its numbers were published, before the narrative analysis: the data
    did change (the message says which version), only the hot terms and similar groups are missing."""


def published_message(version: str, analysis_pending: bool, cause: str, what: str = "导入") -> str:
    """What is true after a failure that followed a publish: the published version, what did not complete,
    what to do (Chinese, for the page and the command line). `cause` is the error, already masked where it
    leaves (the caller's)."""
    unaudited = "审计日志" in cause
    missing = []
    if unaudited:
        missing.append(f"审计日志未记下本次{what}的结果")
    if analysis_pending:
        missing.append("投诉内容分析（热点词、相似投诉）")
    if not missing:
        missing.append(f"{what}的收尾步骤")
    todo = []
    if analysis_pending:
        todo.append("运行 python -m dashboard rebuild 补算热点词与相似投诉（或下次导入时补算）")
    if unaudited:
        todo.append("修复审计日志（见下方原因）后在审计日志页核对")
    todo.append("不要重新导入同一文件：其数据已入库")
    return (
        f"{what}未全部完成，但数据已发布（数据版本 {version}），各页面已显示新数据。"
        f"未完成：{'；'.join(missing)}。请{'；'.join(todo)}。原因：{cause}"
    )
