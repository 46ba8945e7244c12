"""The data contract as code: tables, columns, Chinese headers, enumerations.

Everything that validates, maps headers or labels a column reads it from here, so the contract has one
definition in the program (docs/data_contract.md is its prose twin).
"""

from __future__ import annotations

from dataclasses import dataclass

CHANNELS = ("客服热线", "网点现场", "手机银行/网银", "信函邮件", "监管转办", "媒体网络", "其他")
BUSINESS_CATEGORIES = (
    "借记卡",
    "信用卡",
    "个人贷款",
    "个人存款",
    "支付结算",
    "理财",
    "代理业务",
    "外汇",
    "贵金属",
    "债务催收",
    "个人金融信息",
    "其他",
)
REASONS = (
    "管理制度、业务规则与流程",
    "定价收费",
    "服务设施、设备、业务系统",
    "服务态度及服务质量",
    "债务催收方式和手段",
    "信息披露",
    "消费者资金安全",
    "营销方式和手段",
    "消费者信息安全",
    "产品收益",
    "自主选择权",
    "合同条款",
    "其他",
)
ROOT_CAUSES = ("产品设计", "流程缺陷", "系统故障", "员工行为", "第三方合作", "外部欺诈", "客户误解", "其他")
STATUSES = ("已受理", "处理中", "已办结")
CLOSED_STATUS = "已办结"
RESULTS = ("已解决", "部分解决", "未解决", "撤诉")
SATISFACTIONS = ("满意", "基本满意", "不满意", "未回访")
LEVELS = ("总行", "一级分行", "二级分行", "支行")
# Contract section 7 (optional columns for the regulator's lens).
DEADLINE_OPTIONS = (15, 30, 60)  # granted deadline in days: by rule, after one extension, after two
DEFAULT_DEADLINE_DAYS = 15  # an empty deadline_days
REFERRAL_SOURCES = ("12378", "12363", "地方监管局", "其他")
OUTLET_LEVEL = "支行"  # an empty is_outlet: true for this level, false otherwise


@dataclass(frozen=True)
class Column:
    name: str  # canonical English name
    header_zh: str  # 表头
    kind: str  # string | timestamp | integer | decimal | boolean | enum | month
    required: bool
    values: tuple[str, ...] = ()  # allowed values for enums


COMPLAINTS = (
    Column("complaint_id", "投诉编号", "string", True),
    Column("received_at", "受理时间", "timestamp", True),
    Column("closed_at", "办结时间", "timestamp", False),
    Column("branch_code", "被投诉机构代码", "string", True),
    Column("channel", "投诉渠道", "enum", True, CHANNELS),
    Column("business_category", "业务类别", "enum", True, BUSINESS_CATEGORIES),
    Column("reason", "投诉原因", "enum", True, REASONS),
    Column("product", "产品名称", "string", False),
    Column("customer_id", "客户号", "string", True),
    Column("customer_age", "客户年龄", "integer", False),
    Column("amount", "涉及金额", "decimal", False),
    Column("content", "投诉内容", "string", False),
    Column("status", "处理状态", "enum", True, STATUSES),
    Column("result", "处理结果", "enum", False, RESULTS),
    Column("satisfaction", "回访满意度", "enum", False, SATISFACTIONS),
    Column("regulator_referred", "是否监管转办", "boolean", True),
    Column("root_cause", "根因分类", "enum", False, ROOT_CAUSES),
    # Not in the contract's table but named by its upsert rule: when present, the newest extract wins.
    Column("extracted_at", "提取时间", "timestamp", False),
    # Contract section 7: optional; an extract without them imports as before.
    Column("deadline_days", "办理时限（天）", "integer", False),
    Column("referral_source", "转送来源", "enum", False, REFERRAL_SOURCES),
    Column("redress_amount", "补偿金额", "decimal", False),
)

BRANCHES = (
    Column("branch_code", "机构代码", "string", True),
    Column("branch_name", "机构名称", "string", True),
    Column("parent_code", "上级机构代码", "string", False),
    Column("level", "机构层级", "enum", True, LEVELS),
    Column("province", "省份", "string", True),
    Column("city", "城市", "string", False),
    Column("is_outlet", "是否营业网点", "boolean", False),  # contract section 7
)

CUSTOMERS_MONTHLY = (
    Column("branch_code", "机构代码", "string", True),
    Column("month", "月份", "month", True),
    Column("customer_count", "客户数", "integer", True),
    Column("elderly_customer_count", "老年客户数", "integer", False),  # contract section 7
)

TABLES: dict[str, tuple[Column, ...]] = {
    "complaints": COMPLAINTS,
    "branches": BRANCHES,
    "customers_monthly": CUSTOMERS_MONTHLY,
}

TABLE_LABELS_ZH = {"complaints": "投诉工单", "branches": "机构", "customers_monthly": "月度客户数"}

# Ids and codes: what tells two records apart (the import trusts nothing invisible or rounded in them).
ID_COLUMNS = frozenset({"complaint_id", "customer_id", "branch_code", "parent_code"})

# Import order within one batch: complaints are checked against the branches loaded with them.
IMPORT_ORDER = ("branches", "customers_monthly", "complaints")


# Columns of contract section 7: an extract that lacks one (or leaves it empty) keeps the stored value.
SECTION7_COLUMNS = {
    "complaints": ("deadline_days", "referral_source", "redress_amount"),
    "branches": ("is_outlet",),
    "customers_monthly": ("elderly_customer_count",),
}


def columns(table: str) -> tuple[Column, ...]:
    return TABLES[table]


def required_columns(table: str) -> list[str]:
    return [c.name for c in TABLES[table] if c.required]


def header_zh(table: str, name: str) -> str:
    return next(c.header_zh for c in TABLES[table] if c.name == name)
