"""The 约谈 rule in one wording (DOMAIN §5, the report: "由街道纪工委进行约谈"): every notice and
page that names who holds the talk takes it from here."""

TALK_HOLDER = "街道（镇）纪工委"
TALK_RULE = (f"积分扣至年初初始积分以下或降为零的片区长、胡同长列入约谈名单，由{TALK_HOLDER}进行约谈，"
             "取消其当年评先树优资格。")
