"""Start Wegweiser: the Telegram bot if TELEGRAM_BOT_TOKEN is set, else the console chat.

    python run_bot.py            # Telegram (or console without a token)
    python run_bot.py --console  # console chat, never touches the network
"""

import sys

from bot.cli import main

if __name__ == "__main__":
    argv = sys.argv[1:]
    if argv[:1] == ["--console"]:
        argv = ["console", *argv[1:]]
    raise SystemExit(main(argv))
