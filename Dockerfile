# One image for every role; the role is the command: --role api | worker | gateway.
FROM node:20-bookworm-slim
WORKDIR /app
RUN apt-get update \
  && apt-get install -y --no-install-recommends ca-certificates \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
RUN npm ci --no-audit --no-fund
COPY . .
USER node
ENTRYPOINT ["node", "--import", "tsx", "main.ts"]
CMD ["--role", "api"]
