import { REST, Routes } from 'discord.js';
import { COMMANDS } from '../../commands/index.js';
import { discordCommandsJson } from '../adapters/discord/commands.js';
import type { Config } from '../config/env.js';

/**
 * `newshound deploy-commands`: registers the slash commands with Discord, in one server when
 * DISCORD_DEV_GUILD_ID is set (instant, for development), else globally.
 */
export async function deployCommands(config: Config, out: (text: string) => void): Promise<number> {
  if (config.DISCORD_TOKEN === undefined || config.DISCORD_APP_ID === undefined) {
    out('deploy-commands needs DISCORD_TOKEN and DISCORD_APP_ID.\n');
    return 1;
  }
  const rest = new REST({ api: config.DISCORD_API_URL, retries: 1 }).setToken(config.DISCORD_TOKEN);
  const body = discordCommandsJson(COMMANDS);
  const guild = config.DISCORD_DEV_GUILD_ID;
  const route = guild ? Routes.applicationGuildCommands(config.DISCORD_APP_ID, guild) : Routes.applicationCommands(config.DISCORD_APP_ID);
  const registered = (await rest.put(route, { body })) as Array<{ name: string }>;
  out(`Registered ${registered.map((c) => `/${c.name}`).join(', ')} ${guild ? `in server ${guild}` : 'globally (may take up to an hour to appear)'}.\n`);
  return 0;
}
