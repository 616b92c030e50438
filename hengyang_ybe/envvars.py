"""Reading the environment for the settings: a yes or no, a whole number and the
installation's secret key, each refusing a bad value with its name (the start-up stops
with ImproperlyConfigured rather than run on a misread setting)."""

import os
import secrets
import tempfile
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)


def env_bool(name: str, default: bool) -> bool:
    """A boolean from the environment that refuses anything but a clear yes or no."""
    raw = env.str(name, default="1" if default else "0").strip().lower()
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off", ""}:
        return False
    raise environ.ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    """A whole number from the environment; anything else stops the start-up, naming it."""
    raw = env.str(name, default=str(default)).strip()
    try:
        return int(raw)
    except ValueError:
        raise environ.ImproperlyConfigured(f"{name} must be a whole number, got {raw!r}") from None


def secret_key_from_file(path: Path) -> str:
    """The secret of this installation: read from `path`, or generated there once (mode
    0600) so that sessions survive a restart and no key is ever shared with the world."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".secret-")  # created 0600
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(50))
        try:
            os.link(tmp, path)  # atomic: of several processes starting at once, one key wins
        except FileExistsError:
            pass
        finally:
            os.unlink(tmp)
    key = path.read_text().strip()
    if len(key) < 50:
        raise environ.ImproperlyConfigured(f"SECRET_KEY is unset and {path} holds no usable key (delete it to generate one)")
    return key
