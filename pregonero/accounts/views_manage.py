# TEMPORARY SCAFFOLD: replaced by the real views before commit.
def organisation_settings(request, *args, **kwargs):
    raise NotImplementedError

def departments(request, *args, **kwargs):
    raise NotImplementedError

def department_edit(request, *args, **kwargs):
    raise NotImplementedError

def members(request, *args, **kwargs):
    raise NotImplementedError

def member_edit(request, *args, **kwargs):
    raise NotImplementedError

def organisations(request, *args, **kwargs):
    raise NotImplementedError

