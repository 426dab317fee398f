"""Catalan and Valencian word lists (folded: lower case, no accents; "l·l" keeps its dot)."""

ACHIEVEMENT = (
    r"hem (aconseguit|assolit|complit|acomplit|culminat|finalitzat|acabat|enllestit|completat"
    r"|fet realitat|invertit|reduit|rebaixat|duplicat|triplicat|multiplicat|batut|superat)",
    r"(ja|per fi) es una realitat",
    r"es ja una realitat",
    r"(fet|fem|fer) realitat",
    r"gracies a (la|la nostra) (inversio|gestio|aposta)",
    r"gracies a l'(esforc|equip de govern|alcalde|alcaldessa|impuls)",
    r"gracies al (treball|compromis|govern municipal)",
    r"complim",
    r"seguim complint",
    r"(compromis|objectiu) complit",
    r"(promesa|missio|paraula) complida",
    r"xifr(a|es) records?",
    r"maxim historic",
    r"(inversio|xifra|fita|pressupost) historica?",
    r"(any|dia) historic",
    r"balanc (de (la )?(gestio|legislatura)|del (mandat|any|govern|equip de govern)|d'aquests)",
    r"en xifres",
    r"inversio (total )?(de|superior a|que supera) (mes de |quasi |gairebe )?\d+([.,]\d+)*",
    r"\d+([.,]\d+)* (milions d'|mil )?(euros|€) (invertits|d'inversio)",
    r"obr(a|es) (ja )?(finalitzad|acabad|enllestid|conclos)(a|es)",
    r"(finalitzem|acabem|enllestim) les obres",
    r"assoliments?",
    r"exits? de (gestio|l'equip)",
    r"sense precedents",
    r"mes que mai",
    r"abans i despres",
)

_CULTURAL = (
    r"(?!(?:\s+[\w']+){0,3}?\s+(?:[ld]')?(?:exposicio|mostra|temporada|festival|fira|curs|jornad"
    r"|congres|certamen|concert|cicle|setmana))"
)
INAUGURATION = (
    r"inaugur\w*" + _CULTURAL,
    r"primera pedra",
    r"(tall|tallar|tallem) (de )?(la )?cinta",
)

_BODY = (
    r"(govern( central| de l'estat| espanyol| de l'estat espanyol| anterior)?|ministeri|generalitat"
    r"|conselleria|consell|diputacio|administracio (central|autonomica|de l'estat)|anterior equip de govern"
    r"|oposicio|l'estat)"
)
_BLAME = (
    r"(ens (abandona|abandonen|ignora|ignoren|oblida|obliden|margina|marginen|menysprea|menyspreen)"
    r"|abandon\w*|ignor\w*|margin(a|en|ant)|oblid(a|en|ant)|castig(a|uen|ant)|discrimin(a|en|ant)"
    r"|bloqueja\w*|bloquegen|paralitz\w*|incompleix\w*|incomplix\w*|menteix\w*|menysprea\w*|menyspreen"
    r"|boicoteja\w*|ens (dona|donen) l'esquena|no fa res|no fan res)"
)
DISCREDIT = (
    _BODY + r"(?:\s+[\w']+){0,3}?\s+" + _BLAME,
    r"(abandonament|oblit|menyspreu|bloqueig|deixadesa) (del |de la |de l'|de )?" + _BODY,
    r"per culpa (del|de la) (govern|generalitat|ministeri|diputacio|consell|oposicio)",
    r"(nefasta|desastrosa|penosa|lamentable) gestio",
    r"incompetencia (del|de la)",
    r"herencia rebuda",
    r"malbaratament de l'anterior",
)

DISCRIMINATORY = (
    r"subnormals?",
    r"retardat(s)? mentals?",
    r"mongolic(s|a|es)?",
    r"minusvalid(s|a|es)?",
    r"sudaques?",
    r"(immigrants|migrants|estrangers) il·legals",
    r"sexe debil",
)

VOTING_LOGISTICS = (
    r"col·legis? electorals?",
    r"meses? electorals?",
    r"mesa electoral",
    r"vot (per correu|accessible|anticipat)",
    r"horari de votacio",
    r"jornada electoral",
    r"cens electoral",
    r"paperetes?",
    r"(pots|podeu|pot|per a|per) votar",
    r"on votar",
    r"escrutini",
)
EMERGENCY = (
    r"alerta (vermella|taronja|groga)",
    r"emergencies?",
    r"evacuaci\w*",
    r"desallotja\w*",
    r"confinament",
    r"incendis? forestals?",
    r"inundaci\w*",
    r"riuades?",
    r"avis (urgent|important)",
    r"proteccio civil",
    r"onada de calor",
    r"tall (d'aigua|de subministrament)",
    r"no (eixiu|surtiu|isqueu)",
    r"carreteres? tallades?",
)
