"""The caller's words: natural, varied Chinese with the concrete details a real caller gives.

Texts are assembled from an opener (by channel), a body template of the ticket's category (one set
for 咨询, one for the other types) filled with Haidong places, synthetic firms and numbers, and a
closer in the register of the ticket type. Only Haidong's public geography (sandbox.base.geography) and
synthetic names appear; no real person is ever named. Built for bulk: slot values are drawn as
numpy arrays and formatted once per ticket.
"""
from __future__ import annotations

import functools
import string

import numpy as np

from ..base.geography import COUNTIES, STREETS, VILLAGE_STEMS
from .taxonomy import CATEGORIES, TICKET_TYPES

ESTATES = ("河湟花园", "湟水家园", "阳光小区", "东城佳苑", "滨河嘉园", "康乐小区", "文化小区", "南山家园",
           "湟水湾小区", "锦绣苑", "金城小区", "青年公寓", "幸福里小区", "丰收家园", "紫荆花园")
WHEN = ("昨天晚上", "今天早上", "前天下午", "这几天", "从上周开始", "这个月以来", "今天中午", "最近半个月")

# (咨询 templates, other templates). Slots: {town} {village} {street} {estate} {bldg} {unit}
# {n} {money} {months} {firm} {when} {cs} (county short form) {age}; numbers in one style: digits
# ({n10} = 10·n, {n100} = 100·n, never "8十元"); {fee} a Haidong 物业费 per ㎡ a month (0.5–2.0 元).
# {firm} is a firm whose trade fits the complaint (FIRM_TRADES), not any firm.
BODIES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "物业服务质量": (("我们{estate}换了新物业，想问一下物业服务合同到期后业主怎么选新物业？",),
                ("我是{cs}{estate}{bldg}号楼的住户，{when}楼道灯坏了一直没人修，垃圾也{n}天没清运了，找物业就说等着。",
                 "{estate}的物业一直不怎么管事，单元门禁坏了{n}天了，外面的人随便进出，老人孩子不安全。")),
    "物业收费": (("{estate}物业费今年说要从每平米每月{fee}元涨价，想问一下物业涨价要走什么程序？",),
             ("{estate}物业不给开发票，还把物业费和停车费捆在一起收，一年多收了{money}元，我们业主不认可。",
              "物业{when}拿断水断电威胁我们交费，{bldg}号楼有{n}户都被停了水，这合法吗？")),
    "电梯故障": ((),
             ("{cs}{estate}{bldg}号楼{unit}单元电梯{when}又坏了，里面困了一位{age}岁的老人，物业电话打不通！",
              "{estate}的电梯这个月已经坏了{n}次，每次修完用不了几天，我们住{floor}楼，老人根本下不了楼。")),
    "小区停车": ((),
             ("{estate}门口的消防通道天天被私家车堵着，{when}有救护车都进不来，物业也不管。",
              "小区车位只租不售，物业把车位费涨到每月{price}0元，还把外来车放进来占位。")),
    "物业撤场": ((),
             ("我们{estate}的物业公司{when}突然撤走了，门卫没人、垃圾没人清、电梯也停了，{bldg}栋几百户人没人管！",
              "{cs}{estate}原来的物业说不干就不干了，预交的一年物业费{money}元也不退，现在小区水泵都没人开。")),
    "商品质量": (("想咨询一下，在网上买的东西七天无理由退货，商家说特价商品不退，对吗？",),
             ("我在{firm}买的电暖器用了{n}天就冒烟了，花了{money}元，商家说不是质量问题不给退。",
              "{when}在{town}一家店买的羽绒服，洗了一次就掉毛，找商家说过了退换期，发票也不给开。")),
    "预付卡退费": ((),
               ("我在{firm}办了{money}元的会员卡，{when}店突然关门了，卡里还剩一大半，老板电话也不接。",
                "给孩子报的游泳课预交了{money}元，才上了{n}节课就说场馆装修，一直拖着不退钱。")),
    "餐饮服务": ((),
             ("{when}在{cs}{street}的{firm}吃饭，吃完全家都拉肚子，去医院花了{money}元，店家不认账。",
              "{firm}菜单上写的价格和结账的时候不一样，多收了{n10}元，还态度很差。")),
    "网购纠纷": (("网购的东西快递一直显示派送中，{n}天了还没收到，这种情况可以找谁？",),
             ("在网上买了{money}元的手机，收到是翻新机，卖家在外省不理我，平台也推来推去。",
              "直播间买的虫草，收到货跟宣传的完全不一样，花了{money}元，要求退货被拒。")),
    "占道经营": ((),
             ("{cs}{street}上每天下午有几十个摊点占了人行道，{when}我家孩子放学只能走机动车道。",
              "{street}和{street2}路口的烧烤摊把桌子摆到马路上，晚上十二点还在营业，油烟很大。")),
    "噪音扰民": ((),
             ("{estate}楼下的{firm}每天晚上放音乐到十一二点，{when}已经跟他们说过{n}次了，还是不改。",
              "隔壁工地凌晨两三点还在施工，机器声音特别大，我们{street}这一片的居民都睡不着觉。")),
    "环境卫生": ((),
             ("{town}{village}村口的垃圾堆了{n}天没人拉，天热都臭了，苍蝇很多。",
              "{cs}{street}路边的公厕{when}一直锁着门，附近摆摊的人和过路的都没地方上厕所。")),
    "违章搭建": ((),
             ("{estate}{bldg}号楼一楼住户把院子圈起来盖了彩钢房，占了公共绿地，还挡住了消防通道。",
              "{town}{village}村有人在河道边上盖房子，{when}开始动工，地基已经打好了。")),
    "老旧小区改造": (("想问一下我们{estate}是不是在今年老旧小区改造的名单里？什么时候开始？",),
               ("{estate}老旧小区改造{when}开工，到现在{months}个月了，路挖开了不填，下雨天老人出门都摔了。",
                "改造给我们换的外墙保温，{n}户都渗水了，施工队找不到人。")),
    "不动产登记": (("我在{cs}买的二手房，想问一下办不动产证需要带哪些材料，能不能网上办？",),
              ("我们{estate}交房{n}年了还办不下来房产证，开发商说在等验收，我们孩子上学都受影响。",
               "去办不动产转移登记，窗口说还缺材料，可上次没一次性告知，我已经跑了{n}趟了。")),
    "公租房": (("想咨询一下{cs}公租房怎么申请，家里{n}口人，人均月收入不到{income}元，符合条件吗？",),
            ("申请公租房已经{months}个月了，一直说在审核，也不告诉我排到第几了。",
             "分的公租房{when}暖气片漏水，报修{n}次了没人来修。")),
    "商品房延期交付": ((),
                ("我在{cs}买的{estate}期房，合同约定去年底交房，现在又延期{months}个月，开发商一直不给说法。",
                 "{estate}项目{when}停工了，我们{n100}多户业主贷款都在还，房子还没影。")),
    "养老保险": (("我今年{age}岁，在外省打了{n}年工交了社保，想问一下怎么转回{cs}接续？",
              "想问一下城乡居民养老保险一年交{money}元的档次，以后每个月能领多少？"),
             ("我父亲{age}岁了，{when}养老金突然停发了，去问说要重新认证，但老人腿脚不便来不了。",
              "单位{months}个月没给我交养老保险，工资里却一直在扣。")),
    "医保报销": (("我在西宁住院花了{money}元，想问一下回{cs}怎么报销，需要什么材料？",),
             ("住院费用报销{when}提交了材料，过去{n}个月了还没到账，打电话问一直说在审核。",
              "在{town}卫生院看病，医保卡刷不了，让先自费，回来报销又说不符合规定。")),
    "社保卡": (("社保卡丢了，想问在{cs}哪里可以补办，能不能当天拿到？",),
            ("社保卡激活了{n}次都不成功，去银行说是社保局的问题，去社保局又让找银行。",)),
    "居民医保缴费": (("明年的城乡居民医保是多少钱一个人？家里{n}口人可以一起在手机上交吗？",),
               ("交居民医保的时候扣了钱，但是系统显示没交上，{money}元不知道去哪了。",)),
    "入学招生": (("孩子今年{age2}岁，户口在{town}，住在{cs}{estate}，想问一下上小学按户口还是按居住地划片？",),
             ("孩子学籍在{cs}，我们在外省打工{n}年了，转学手续来回跑了好几次还没办完。",
              "划片入学的学校离家{n}公里，中间要过国道，孩子太小不安全，想申请就近入学。")),
    "学校收费": ((),
             ("{town}的学校让每个学生交{price}0元的资料费，不交就不给发，还不给开收据。",
              "学校{when}强制订校服，一套{price}0元，质量还很差。")),
    "校外培训": ((),
             ("{cs}{street}有一家培训机构在周末偷偷给中小学生补课，一节课收{price}元。",
              "给孩子报的培训班收了{money}元学费，{when}机构跑路了，几十个家长都联系不上老板。")),
    "校车安全": ((),
             ("{town}{village}村接送学生的面包车核载{n}人，每天塞了十几个孩子，太危险了。",)),
    "城市道路破损": ((),
               ("{cs}{street}靠近{street2}那一段路面塌了一个大坑，{when}有电动车摔倒了，晚上看不清特别危险。",
                "{cs}城区{street}的人行道砖{when}翘起来好几块，下水井盖也松了，老人走路差点绊倒。")),
    "公路（县道）破损": ((),
                  ("从{cs}城区到{town}的县道{when}塌了一段路基，只剩半幅路能走，大车小车挤在一起很危险。",
                   "{town}往县城走的县道上坑槽一个接一个，{when}有小车底盘都刮坏了，晚上根本看不清。")),
    "公交线路": ((),
             ("建议开通{cs}城区到{town}的公交，现在只能坐私家车，一趟要{price}元。",
              "{n}路公交{when}经常不按点发车，早上七点多等了四十分钟才来。")),
    "出租车服务": ((),
              ("{when}在{cs}坐出租车，司机不打表，{km}公里的路，打表应该十几块，他要了{taxi}元。",
               "出租车司机绕路，本来{n}分钟的路开了半小时，跟他理论还骂人。")),
    "交通信号与标志": ((),
                ("{street}和{street2}路口的红绿灯{when}坏了，早晚高峰很乱，差点出事故。",
                 "{street}学校门口没有减速带和斑马线，孩子过马路很危险，建议加装。")),
    "农民工工资拖欠": ((),
                 ("我们{n}个人跟着包工头在{cs}的工地干了{months}个月，工钱一共{wages_all}元到现在没结，家里等着这笔钱用，老板一直躲着。",
                  "我在{firm}干活，{months}个月工资{wages_one}元没发，去要就说项目款没到，家里等着用钱。")),
    "劳动合同纠纷": (("在{firm}上班{n}年了，没签劳动合同，想问一下可以要求双倍工资吗？",),
               ("公司{when}突然把我辞退了，没有任何补偿，也不给开离职证明。",)),
    "工伤认定": (("我在工地上干活摔伤了腿，老板不给申报工伤，想问一下自己怎么申请工伤认定？",),
             ("工伤认定材料{when}交上去了，过了{n}个月还没结果，医药费都是自己垫的。",)),
    "灌溉用水": ((),
             ("{town}{village}村的水渠{when}堵了，下游{n10}亩地浇不上水，麦子等不了了。",
              "这一轮浇水轮到我们{village}村的时候水就没了，上游有人私自截水，地都干了。")),
    "惠农补贴": (("想问一下今年的耕地地力保护补贴什么时候发？我家{n}亩地，标准是多少？",),
             ("我家{n}亩地的种粮补贴别人家都到了，就我家没有，村里说是名单报错了。",
              "{town}{village}村的惠农补贴发放名单没有公示，有人怀疑冒领。")),
    "农资质量": ((),
             ("在{town}农资店买的化肥，撒了地里庄稼反而发黄，一共买了{n}袋，花了{money}元。",
              "买的洋芋种子出苗率不到一半，{village}村好几户都是这样。")),
    "乡道、村道破损": ((),
                ("{town}{village}村的村道{when}被山洪冲断了，娃娃上学要绕{n}公里。",
                 "{town}到{village}村的路有好几处塌陷开裂，农用车过不去。",
                 "建议把{village}村到{town}的砂石路硬化一下，一下雨就走不成。")),
    "宅基地": (("我们家在{village}村的老房子想翻建，想问宅基地审批要什么手续？",),
            ("邻居盖房占了我家宅基地{n}米，村里调解了{n2}次都没用。",)),
    "食品安全": ((),
             ("{when}在{cs}{street}的{firm}买的熟食有异味，怀疑是过期的，商家不承认。",
              "{town}集市上有人卖病死牛羊肉，价格特别便宜，好多人都买了。")),
    "价格违法": ((),
             ("{firm}标价签和收银价格不一样，我买了{n}样东西都多收了钱。",
              "{when}{cs}城区的蔬菜价格一下涨了一倍，怀疑有人囤货哄抬物价。")),
    "无证经营": ((),
             ("{cs}{street}有一家小作坊没有营业执照，在居民楼里加工食品，卫生很差。",)),
    "大气污染": ((),
             ("{town}有家砖厂{when}偷偷冒黑烟，刺鼻的味道整个{village}村都能闻到。",
              "{village}村这几天有人在地里烧秸秆，烟大得很，孩子一直咳嗽。")),
    "水污染": ((),
              ("{town}附近的湟水河支流里有人偷排污水，水面上一层白沫，还有死鱼。",)),
    "工地扬尘噪声": ((),
                ("{street}旁边的工地没有围挡，也不洒水，风一刮全是土，我们{estate}窗户都不敢开。",
                 "{cs}{estate}隔壁工地晚上十点以后还在浇混凝土，声音特别大。")),
    "停水": (("{estate}今天停水了，想问一下什么时候能来水？",),
           ("{cs}{town}{estate}{when}就停水了，到现在也没个通知，家里老人做饭喝水都成问题。",
            "{street}这边一片停水{n}个小时了，供水公司电话一直占线，什么时候能恢复？")),
    "停电": (("{village}村今天停电，想问是计划检修还是故障？",),
           ("{town}{village}村{when}一直停电，冰柜里的东西都坏了，也没人说什么原因。",
            "{estate}这个月已经停了{n}次电，每次好几个小时，家里有病人用制氧机。")),
    "供暖不热": ((),
             ("{cs}{estate}{bldg}号楼暖气一直不热，室温才{temp}度，家里有{age}岁的老人，冻得受不了。",
              "交了{money}元暖气费，{when}暖气就是温的，找供热公司说管道有问题，一直不来修。")),
    "燃气问题": ((),
             ("{estate}{bldg}号楼楼道里有很大的煤气味，怀疑管道漏气，赶紧派人来看看！",
              "燃气表充了{price}元显示不到账，{when}家里没法做饭了。")),
    "水质问题": ((),
             ("{estate}自来水{when}发黄，还有一股味道，烧开了底下一层沉淀，不敢喝。",)),
    "户口迁移": (("我在{cs}买了房，想把户口从{town}迁到城区，需要什么手续？",
              "孩子在外省出生的，回{cs}上户口要带哪些材料？"),
             ("办户口迁移跑了{n}趟派出所，每次说的材料都不一样。",)),
    "身份证办理": (("身份证快过期了，人在外省打工，可以异地换领吗？",),
              ("身份证办了{n}个月还没拿到，派出所说还没寄过来。",)),
    "出入境证件": (("想问一下在海东办护照要多长时间，可以预约吗？",),
              ("办理往来港澳通行证，网上预约一直约不上。",)),
    "办事指南咨询": (("想问一下在{cs}政务服务中心办营业执照要带什么材料，能不能一次办好？",
                "办理个体工商户注册，网上办和去大厅办有什么区别？"),
               ("办事指南上写的材料和窗口要的不一样，害我白跑了{n}趟。",)),
    "窗口服务态度": ((),
               ("{when}在{cs}政务服务中心{n}号窗口办事，工作人员玩手机，问问题爱答不理。",
                "中午{time}点多去政务大厅，窗口都没人，等了一个多小时。")),
    "跨省通办": (("我在外省开拉面馆，营业执照要年报，可以在当地跨省通办吗？",
              "人在广东打工，老家{cs}的社保能不能异地办理认证？"),
             ("申请跨省通办的业务{n}个工作日了还没办结，两头都说在处理。",)),
    "网上办事系统": ((),
               ("政务服务网上的申报系统{when}一直登录不上，提交材料的时候总是报错，截止日期快到了。",
                "手机上办业务的人脸识别一直通不过，老人根本用不了。")),
    "医疗服务": ((),
             ("{when}带孩子去{hospital}看急诊，等了{n}个小时没人管，护士态度也不好。",
              "在{town}卫生院看病，开的药比外面药店贵了一倍。")),
    "疫苗接种": (("孩子{age2}岁了，想问在{town}哪里可以打疫苗，需要预约吗？",),
             ("去{town}接种点打疫苗，说疫苗没货了，来回跑了{n}次。",)),
    "其他事项": (("想问一下在{cs}办理{thing}去哪个部门？",),
             ("{town}{village}村的路灯{when}坏了一大片，晚上走路黑乎乎的。",
              "建议在{cs}{street}多设几个公共自行车点，方便大家出行。")),
}

OPENERS = {
    "电话": ("", "您好，", "喂，你好，", "你好，我想反映个事情，", "你好，我是{town}的，"),
    "方言专席": ("【方言专席转写】", "【方言专席转写】你好，我是{village}村的，"),
    "微信": ("", "您好！", "【微信留言】"),
    "网站": ("尊敬的领导：", "您好，", ""),
    "APP": ("", "您好，"),
    "信件": ("尊敬的领导：您好！本人是{cs}{town}居民，", "12345热线：",),
}
CLOSERS = {
    "咨询": ("谢谢。", "麻烦给解答一下。", "", "需要带什么材料？"),
    "求助": ("麻烦帮忙协调一下，谢谢。", "家里有老人孩子，实在等不了了。", "请尽快派人来处理。"),
    "投诉": ("希望有关部门尽快处理。", "都反映好几次了，一直没人管。", "请给个说法。", ""),
    "举报": ("希望严查。", "我可以提供照片和视频。", "请相关部门核实处理。"),
    "建议": ("建议有关部门加强管理，从根本上解决。", "希望相关部门重视，建立长效机制。", "建议有关部门考虑一下。"),
    "表扬": ("",),
    "其他": ("", "谢谢。"),
}
PRAISE = ("我想表扬一下{cs}{dept}的工作人员，我反映的{cat}问题他们{n}天就给解决了，还专门打电话回访，特别感谢！",
          "前段时间我家的{cat}问题多亏了工作人员帮忙，跑前跑后，态度特别好，想通过热线表扬一下。")
THINGS = ("老年人优待证", "残疾人证", "狩猎许可", "婚姻登记", "殡葬补贴", "农机补贴", "道路挖掘许可")
REFUSED_BODIES = {
    "涉诉": "我跟{firm}的合同纠纷已经在法院立案了，想让你们督促法院快点判。",
    "仲裁": "我的劳动争议仲裁已经开过庭了，想问你们能不能让仲裁委改一下结果。",
    "纪检监察": "我要举报{town}的一个干部违纪，收受好处。",
    "行政复议": "对罚款决定不服，已经申请了行政复议，想让你们帮忙催一下。",
    "政府信息公开": "我想申请公开{cs}县（区）去年征地补偿的全部文件和名单。",
    "信访事项办理中": "我的事情已经在信访局登记办理了，再来反映一下，想让热线也管一下。",
    "涉密（国家秘密、商业秘密）": "{firm}的进货渠道和成本价你们肯定有，帮我查一下，我也想做这个生意。",
    "涉及他人隐私": "想查一下我邻居家的户口信息和收入情况。",
    "违反公序良俗": "我想让你们帮我查到我前女友现在住哪儿，我要去她单位闹，让她没脸见人。",
}


# Trades that fit a complaint that names a firm (words in the synthetic firms' names).
FIRM_TRADES: dict[str, tuple[str, ...]] = {
    "商品质量": ("商贸", "超市"), "预付卡退费": ("餐饮", "超市", "文化旅游"), "餐饮服务": ("餐饮", "拉面"),
    "噪音扰民": ("餐饮", "拉面", "超市"), "农民工工资拖欠": ("建筑", "劳务"),
    "劳动合同纠纷": ("商贸", "建筑", "劳务", "运输", "物业", "餐饮"), "食品安全": ("超市", "商贸", "农产品"),
    "价格违法": ("超市", "商贸"),
}


def _fitting_firms(rng: np.random.Generator, cat_idx: np.ndarray, firms: tuple[str, ...]) -> np.ndarray:
    """A firm per ticket whose trade fits the ticket's category (any firm where nothing is said)."""
    n = len(cat_idx)
    pool_all = np.array(firms or ("某商户",), dtype=object)
    u = rng.random(n)
    out = pool_all[np.minimum((u * len(pool_all)).astype(np.int64), len(pool_all) - 1)]
    names = [c.level2 for c in CATEGORIES]
    for cat, trades in FIRM_TRADES.items():
        if cat not in names:
            continue
        rows = cat_idx == names.index(cat)
        fit = _firms_of_trades(firms or ("某商户",), trades)
        if rows.any() and len(fit):
            out[rows] = fit[np.minimum((u[rows] * len(fit)).astype(np.int64), len(fit) - 1)]
    return out


@functools.lru_cache(maxsize=64)
def _firms_of_trades(firms: tuple[str, ...], trades: tuple[str, ...]) -> np.ndarray:
    """The firms whose name shows one of the trades (once per firm list, not once per month)."""
    return np.array([f for f in firms if any(t in f for t in trades)], dtype=object)


def _choice(rng: np.random.Generator, options, n: int) -> np.ndarray:
    arr = np.empty(len(options), dtype=object)
    arr[:] = list(options)
    return arr[rng.integers(0, len(options), size=n)]


def generate(rng: np.random.Generator, cat_idx: np.ndarray, county_idx: np.ndarray, type_idx: np.ndarray,
             channels: np.ndarray, firms: tuple[str, ...], *, refused: np.ndarray | None = None,
             refused_reason: np.ndarray | None = None,
             overrides: dict[str, np.ndarray] | None = None) -> list[str]:
    """One caller text per ticket (index arrays into CATEGORIES, COUNTIES and TICKET_TYPES)."""
    n = len(cat_idx)
    pick = rng.random(size=n)
    towns = [np.array(c.townships, dtype=object) for c in COUNTIES]
    town = np.empty(n, dtype=object)
    for i, arr in enumerate(towns):
        m = county_idx == i
        town[m] = arr[rng.integers(0, len(arr), size=int(m.sum()))]
    short = np.array([c.short for c in COUNTIES], dtype=object)[county_idx]
    # the county hospital as people name it: 乐都区人民医院, 化隆县人民医院
    hospital = np.array([(c.name if c.name.endswith("区") and len(c.name) == 3 else c.short + "县") + "人民医院"
                         for c in COUNTIES], dtype=object)[county_idx]
    slots = {
        "town": town, "cs": short, "hospital": hospital,
        "village": _choice(rng, VILLAGE_STEMS, n), "street": _choice(rng, STREETS, n),
        "street2": _choice(rng, STREETS, n), "estate": _choice(rng, ESTATES, n), "when": _choice(rng, WHEN, n),
        "firm": _fitting_firms(rng, cat_idx, firms), "thing": _choice(rng, THINGS, n),
        "bldg": rng.integers(1, 25, size=n), "unit": rng.integers(1, 7, size=n), "floor": rng.integers(6, 27, size=n),
        "n": rng.integers(2, 9, size=n), "n2": rng.integers(2, 6, size=n), "months": rng.integers(2, 9, size=n),
        "money": (np.round(np.exp(rng.normal(8.2, 0.9, size=n)) / 10) * 10).astype(int),
        "price": rng.integers(2, 60, size=n), "age": rng.integers(62, 91, size=n), "age2": rng.integers(3, 8, size=n),
        "temp": rng.integers(8, 15, size=n), "time": rng.integers(12, 14, size=n),
        # a builder's monthly pay (5,000–8,000 元), a metered 5–10 km taxi ride (十几块) and what an
        # unmetered driver asks for it, a 公租房 applicant's monthly income per head
        "wage": rng.integers(50, 81, size=n) * 100, "km": rng.integers(5, 11, size=n),
        "taxi": rng.integers(3, 9, size=n) * 10, "income": rng.integers(15, 26, size=n) * 100,
    }
    for k, v in (overrides or {}).items():
        v = np.asarray(v, dtype=object)
        keep = np.array([x is not None for x in v], dtype=bool)
        col = np.asarray(slots[k], dtype=object).copy()
        col[keep] = v[keep]
        slots[k] = col
    wage, months = np.asarray(slots["wage"], dtype=object), np.asarray(slots["months"], dtype=object)
    slots["wages_all"] = np.asarray(slots["n"], dtype=object) * months * wage  # 工钱 of n workers for months
    slots["wages_one"] = months * wage
    slots["n10"] = np.asarray(slots["n"], dtype=object) * 10
    slots["n100"] = np.asarray(slots["n"], dtype=object) * 100
    slots["fee"] = np.array([f"{0.5 + (p % 16) / 10:.1f}" for p in slots["price"]], dtype=object)
    opener_pick = rng.random(size=n)
    closer_pick = rng.random(size=n)
    names = [c.level2 for c in CATEGORIES]
    out: list[str] = []
    # Plain lists and only the fields a text names: building a dict of every slot for every ticket
    # was a third of a year's generation (issue 14's bench).
    cols = {k: (v.tolist() if isinstance(v, np.ndarray) else list(v)) for k, v in slots.items()}
    for i in range(n):
        row: dict = {}
        ch = channels[i]
        opener = OPENERS.get(ch, ("",))
        opener = opener[int(opener_pick[i] * len(opener))]
        ttype = TICKET_TYPES[type_idx[i]]
        cat = names[cat_idx[i]]
        if refused is not None and refused[i]:
            body = REFUSED_BODIES[refused_reason[i]]
            closer = ""
        elif ttype == "表扬":
            row["cat"] = cat
            row["dept"] = CATEGORIES[cat_idx[i]].dept
            body = PRAISE[int(pick[i] * len(PRAISE))]
            closer = ""
        else:
            q, other = BODIES[cat]
            pool = q if (ttype == "咨询" and q) else (other or q)
            body = pool[int(pick[i] * len(pool))]
            cl = CLOSERS[ttype]
            closer = cl[int(closer_pick[i] * len(cl))]
        text = opener + body + closer
        for k in _fields(text):
            if k not in row:
                row[k] = cols[k][i]
        out.append(text.format(**row))
    return out


@functools.lru_cache(maxsize=None)
def _fields(template: str) -> tuple[str, ...]:
    """The slot names a text template uses ("{money:,}" → "money")."""
    names = (f for _, f, _, _ in string.Formatter().parse(template) if f)
    return tuple(dict.fromkeys(f.split(".")[0].split("[")[0] for f in names))
