"""Upgrading a database that already holds what the services now refuse: the upgrade reports it
and changes nothing (DOMAIN: never fail on old data); `check` keeps listing it until fixed."""

from __future__ import annotations

import logging

from alembic import command

from models.check import run_checks
from models.core.schema import _config, current_revision, head_revision
from models.org.service import OrganisationService
from models.org.tables import Household, Zone

ID_A = "110101199003070011"


def test_the_upgrade_reports_duplicates_and_keeps_them(db, system, caplog):
    org = OrganisationService(db, system)
    village = org.create_admin_village(org.create_township("测试镇"), "韩家村")
    natural = org.create_natural_village(village, "新杏园")
    alley = org.create_alley(org.create_zone(natural, "三片区"), "三一胡同")
    config = _config(db)
    command.downgrade(config, "0015_org_rules-1")
    with db.write() as s:  # what an older version let in
        s.add_all([Zone(natural_village_id=natural, name="三片区", sort_order=2),
                   Zone(natural_village_id=natural, name="很" * 60, sort_order=3),
                   Household(alley_id=alley, householder_name="张三", id_number=ID_A),
                   Household(alley_id=alley, householder_name="李四", id_number=ID_A)])
    with caplog.at_level(logging.WARNING, logger="cunzhi.migrations"):
        command.upgrade(config, "head")
    assert current_revision(db) == head_revision(db)
    reported = [r.getMessage() for r in caplog.records if r.name == "cunzhi.migrations"]
    assert len(reported) == 3 and all("未改动" in line for line in reported)
    assert any("2 个片区同名：“三片区”、“三片区”" in line for line in reported)
    assert any("同时登记在2个户主名下" in line for line in reported)
    assert any("有 60 个字，超过上限 20 个字" in line for line in reported)
    with db.read() as s:
        assert len(s.query(Zone).all()) == 3 and len(s.query(Household).all()) == 2
    problems = run_checks(db)
    assert sum("同名" in p or "同时登记" in p or "超过上限 20 个字" in p for p in problems) == 3
