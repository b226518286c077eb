"""Ledgers as a district clerk writes them: Chinese headers, labels for codes, a file per format."""

import csv
import datetime as dt
import io

from openpyxl import Workbook

from corrections.idnumber import make_id_number

HEADERS = [
    "案件编号",
    "姓名",
    "性别",
    "身份证号码",
    "文化程度",
    "户籍类型",
    "居住地",
    "罪名",
    "犯罪类型",
    "管理等级",
    "司法所",
    "矫正类别",
    "主刑",
    "原判刑期（月）",
    "缓刑考验期（月）",
    "决定机关",
    "文书编号",
    "判决日期",
    "生效日期",
    "禁止令",
]


def ledger_rows(count: int, *, office: str, court: str, prefix: str = "LED") -> list[dict]:
    rows = []
    for n in range(count):
        probation = n % 2 == 1
        rows.append(
            {
                "案件编号": f"{prefix}-{n:04d}",
                "姓名": f"王{n}",
                "性别": "男",
                "身份证号码": make_id_number(
                    region="370403",
                    birth_date=dt.date(1990, 1, 1) + dt.timedelta(days=n),
                    sequence=n % 90 + 1,
                    gender="male",
                ),
                "文化程度": "初中",
                "户籍类型": "农村",
                "居住地": "薛城区临城街道 3 号",
                "罪名": "盗窃罪",
                "犯罪类型": "侵犯财产罪",
                "管理等级": "普管",
                "司法所": office,
                "矫正类别": "缓刑" if probation else "管制",
                "主刑": "有期徒刑" if probation else "管制",
                "原判刑期（月）": 12 if probation else 6,
                "缓刑考验期（月）": 24 if probation else "",
                "决定机关": court,
                "文书编号": f"（2026）鲁0403刑初{n + 1}号",
                "判决日期": "2026-10-01",
                "生效日期": "2026-10-12",
                "禁止令": "禁止进入娱乐场所；禁止接触被害人" if probation else "",
            }
        )
    return rows


def as_csv(rows: list[dict], *, bom: bool = True, headers: list[str] = HEADERS) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=headers, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")


def as_xlsx(rows: list[dict], *, headers: list[str] = HEADERS) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        values = []
        for header in headers:
            value = row.get(header, "")
            if header in ("判决日期", "生效日期") and value:
                value = dt.date.fromisoformat(value)  # Excel keeps dates as dates
            values.append(value if value != "" else None)
        sheet.append(values)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
