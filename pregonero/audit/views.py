# TEMPORARY SCAFFOLD: replaced by the real views before commit.
def entry_list(request, *args, **kwargs):
    raise NotImplementedError

def export_csv(request, *args, **kwargs):
    raise NotImplementedError

def entry_detail(request, *args, **kwargs):
    raise NotImplementedError

