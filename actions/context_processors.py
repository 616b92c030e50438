"""Template context: the signed-in user's membership (unit and role)."""


def membership(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"membership": None}
    return {"membership": getattr(user, "membership", None)}
