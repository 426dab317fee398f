"""Basque word lists (folded). A first, short list: Basque inflects by suffix, so each entry
names the inflected forms most used in institutional posts."""

ACHIEVEMENT = (
    r"lortu (dugu|ditugu)",
    r"errealitate bat da",
    r"inbertsioari esker",
    r"kudeaketaren balantzea",
    r"zifratan",
    r"errekor\w*",
    r"amaitu (dugu|ditugu)",
)
INAUGURATION = (r"inaugurazio\w*", r"inauguratu\w*", r"lehen harri\w*")
DISCREDIT = (r"(gobernuak|jaurlaritzak|ministerioak) (baztertu|ahaztu|abandonatu) (gaitu|gaituzte)",)
DISCRIMINATORY = (r"elbarri\w*",)
VOTING_LOGISTICS = (r"hauteslekua\w*", r"posta bidezko boto\w*", r"hauteskunde mahai\w*")
EMERGENCY = (r"larrialdi\w*", r"alerta gorria", r"ebakuazio\w*")
