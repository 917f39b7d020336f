"""Sample texts shared by the web and browser tests: real UDHR articles, typed in."""

# Each article: (Chinese sentences, English sentences), from the UN's two official texts.
UDHR = [
    (
        ["第一条 人人生而自由，在尊严和权利上一律平等。",
         "他们赋有理性和良心，并应以兄弟关系的精神相对待。"],
        ["All human beings are born free and equal in dignity and rights.",
         "They are endowed with reason and conscience and should act towards one another "
         "in a spirit of brotherhood."],
    ),
    (
        ["第二条 人人有资格享有本宣言所载的一切权利和自由，不分种族、肤色、性别、语言、宗教、"
         "政治或其他见解、国籍或社会出身、财产、出生或其他身分等任何区别。",
         "并且不得因一人所属的国家或领土的政治的、行政的或者国际的地位之不同而有所区别，"
         "无论该领土是独立领土、托管领土、非自治领土或者处于其他任何主权受限制的情况之下。"],
        ["Everyone is entitled to all the rights and freedoms set forth in this Declaration, "
         "without distinction of any kind, such as race, colour, sex, language, religion, "
         "political or other opinion, national or social origin, property, birth or other status.",
         "Furthermore, no distinction shall be made on the basis of the political, jurisdictional "
         "or international status of the country or territory to which a person belongs, whether "
         "it be independent, trust, non-self-governing or under any other limitation of "
         "sovereignty."],
    ),
    (
        ["第三条 人人有权享有生命、自由和人身安全。",
         "任何人不得使为奴隶或奴役；一切形式的奴隶制度和奴隶买卖，均应予以禁止。"],
        ["Everyone has the right to life, liberty and security of person.",
         "No one shall be held in slavery or servitude; slavery and the slave trade shall be "
         "prohibited in all their forms."],
    ),
    (
        ["第二十六条 人人都有受教育的权利，教育应当免费，至少在初级和基本阶段应如此。",
         "初级教育应属义务性质。",
         "技术和职业教育应普遍设立。",
         "高等教育应根据成绩而对一切人平等开放。"],
        ["Everyone has the right to education.",
         "Education shall be free, at least in the elementary and fundamental stages.",
         "Elementary education shall be compulsory.",
         "Technical and professional education shall be made generally available and higher "
         "education shall be equally accessible to all on the basis of merit."],
    ),
]
UDHR_ZH = "\n\n".join("".join(zh) for zh, _ in UDHR)
UDHR_EN = "\n\n".join(" ".join(en) for _, en in UDHR)

UDHR_METADATA = {
    "slug": "udhr",
    "title_original": "世界人权宣言",
    "title_translation": "Universal Declaration of Human Rights",
    "language_original": "zh-Hans",
    "language_translation": "en",
    "authors": [{"name": "联合国大会", "romanized": "Liánhéguó Dàhuì"}],
    "source": "联合国",
    "source_translation": "United Nations",
    "date": "1948-12-10",
    "summary": "Articles 1, 2, 3 and 26 of the Universal Declaration of Human Rights, "
               "adopted by the United Nations General Assembly in Paris.",
    "tags": ["human rights", "law"],
    "licence": "Public domain",
    "url_original": "https://www.un.org/zh/about-us/universal-declaration-of-human-rights",
    "status": "published",
}


# A short passage typed in both languages (a novel's narration), with its true sentence beads:
# one 1-2 bead (a Chinese sentence the English splits in two), the rest 1-1.
NOVEL_ZH = [
    "叶文洁走进了实验室。",
    "窗外下着大雨，天色很暗。",
    "她在1969年来到红岸基地，那年她二十三岁。",
    "汪淼没有说话。",
    "他们开车去了新疆。",
]
NOVEL_EN = [
    "Ye Wenjie walked into the laboratory.",
    "Outside the window it was raining hard.",
    "The sky was dark.",
    "She came to Red Coast Base in 1969, when she was twenty-three.",
    "Wang Miao said nothing.",
    "They drove to Xinjiang.",
]
NOVEL_BEADS = [((0,), (0,)), ((1,), (1, 2)), ((2,), (3,)), ((3,), (4,)), ((4,), (5,))]
