# TEMPORARY SCAFFOLD: replaced by the real views before commit.
def login(request, *args, **kwargs):
    raise NotImplementedError

def login_verify(request, *args, **kwargs):
    raise NotImplementedError

def logout(request, *args, **kwargs):
    raise NotImplementedError

def profile(request, *args, **kwargs):
    raise NotImplementedError

def two_factor_setup(request, *args, **kwargs):
    raise NotImplementedError

def recovery_codes(request, *args, **kwargs):
    raise NotImplementedError

def password_change(request, *args, **kwargs):
    raise NotImplementedError

def password_reset(request, *args, **kwargs):
    raise NotImplementedError

def password_reset_sent(request, *args, **kwargs):
    raise NotImplementedError

def password_reset_confirm(request, *args, **kwargs):
    raise NotImplementedError

def password_reset_complete(request, *args, **kwargs):
    raise NotImplementedError

