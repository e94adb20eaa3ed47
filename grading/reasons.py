"""Reason tags recorded with grading results and the Chinese text people read for each."""
from __future__ import annotations

REASONS_ZH = {
    "missing-notebook": "未提交作业笔记本",
    "invalid-notebook": "作业文件已损坏（不是有效的笔记本），无法评分",
    "tests-modified": "自动评分的检查单元被修改，已按原始检查重新评分",
    "tests-deleted": "自动评分的检查单元被删除，相应检查记 0 分",
    "not-graded": "评分程序无法处理该提交，全部记 0 分",
    "kernel-died": "内核意外退出（例如 os._exit 或段错误），之后的检查均记 0 分",
    "timeout": "代码运行超时，超时的单元格记 0 分",
    "tampered": "代码改动了评分环境，全部自动评分记 0 分",
    "huge-output": "输出过长，已截断",
    "execution-failed": "评分时代码无法执行完毕，未完成的检查记 0 分",
    "late": "逾期提交（补考期内）",
    "too-late": "超过补考截止时间，不予评分",
    # checker-graded (form) assignments: answers.json read as data (grading.answers_in, grading.formgrade)
    "answers-missing": "没有找到保存的答案（answers.json）：请在表单中作答并点击“保存答案”后再提交，全部记 0 分",
    "answers-link": "答案文件是符号链接（可能指向他人的答案），不予评分，全部记 0 分",
    "answers-not-file": "答案文件不是普通文件，不予评分，全部记 0 分",
    "answers-too-large": "答案文件超过 256 KB 的上限，不予评分，全部记 0 分",
    "answers-invalid": "答案文件已损坏（不是有效的答案格式），无法评分，全部记 0 分",
    "answers-type": "这道题保存的答案格式不对（例如应为选项列表却是文字），按未作答记 0 分",
    "checker-error": "评分程序处理这份答案时出错，已记 0 分并通知培训师复核",
    # code assignments graded as data (grading.code_export, grading.code_grade): the jailed kernel
    # exports the declared values as JSON, the checks run in the trusted grader process
    "export-too-large": "代码导出的结果超过 256 KB 的上限，不予评分，全部记 0 分",
    "export-missing": "代码没有运行到导出结果的一步（可能出错退出、运行超时或改动了输出），全部记 0 分",
    "export-invalid": "导出的结果格式不对，无法评分，全部记 0 分",
    "attempts-exceeded": "已用完本作业的评分次数，这次提交不再评分，成绩保留上一次的结果",
}
