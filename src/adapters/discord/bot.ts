import {
  Client,
  Events,
  GatewayIntentBits,
  MessageFlags,
  PermissionFlagsBits,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type ModalSubmitInteraction,
  ComponentType,
  TextInputStyle,
} from 'discord.js';
import { FEEDBACK_ACTIONS, FEEDBACK_PREFIX } from '../../chat/feedback.js';
import type { Invoker } from '../../chat/command.js';
import { problemReply, type Reply } from '../../chat/reply.js';
import type { Destination } from '../../core/destination.js';
import type { Logger } from '../../log.js';
import type { ChatRuntime } from '../../modes/chat-runtime.js';
import { discordUsage, resolveDiscordCommand, SEARCH_COMMAND } from './commands.js';
import { EXCLUDE_MODAL_PREFIX, interactionReply } from './render.js';

export interface DiscordBotOptions {
  token: string;
  /** REST base without version; the gateway URL comes from `GET /gateway/bot` as in production. */
  api: string;
  chat: ChatRuntime;
  log: Logger;
  /** Tests shorten discord.js's waits. */
  clientOptions?: { waitGuildTimeout?: number; restTimeoutMs?: number };
}

/** What the bot needs to be able to do in a channel it will post alerts to. */
const POSTING_PERMISSIONS = [
  ['ViewChannel', PermissionFlagsBits.ViewChannel],
  ['SendMessages', PermissionFlagsBits.SendMessages],
  ['EmbedLinks', PermissionFlagsBits.EmbedLinks],
] as const;

function who(interaction: ChatInputCommandInteraction | AutocompleteInteraction | ButtonInteraction | ModalSubmitInteraction): { invoker: Invoker; destination: Destination } | undefined {
  if (!interaction.guildId || !interaction.channelId) return undefined;
  return {
    invoker: {
      platform: 'discord',
      userId: interaction.user.id,
      userName: interaction.user.globalName ?? interaction.user.username,
      // The handler checks too: server admins can override a command's default permissions.
      canManage: interaction.memberPermissions?.has(PermissionFlagsBits.ManageChannels) ?? false,
    },
    destination: { platform: 'discord', workspaceId: interaction.guildId, channelId: interaction.channelId },
  };
}

/**
 * The Discord gateway side: answers slash commands, autocomplete and buttons. Every command is
 * deferred before any I/O (Discord's 3-second window), then answered by editing the reply.
 * Alerts are not posted from here: worker processes post them over REST.
 */
export async function startDiscordBot(opts: DiscordBotOptions): Promise<{ client: Client; stop(): Promise<void> }> {
  const { chat, log } = opts;
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    allowedMentions: { parse: [] },
    rest: { api: opts.api, ...(opts.clientOptions?.restTimeoutMs ? { timeout: opts.clientOptions.restTimeoutMs } : {}) },
    ...(opts.clientOptions?.waitGuildTimeout !== undefined ? { waitGuildTimeout: opts.clientOptions.waitGuildTimeout } : {}),
  });

  const onCommand = async (interaction: ChatInputCommandInteraction) => {
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const context = who(interaction);
    let reply: Reply;
    const query = interaction.commandName === SEARCH_COMMAND ? interaction.options.getString('query') : null;
    const def = resolveDiscordCommand(chat.commands, interaction.commandName, interaction.options.getSubcommandGroup(false), interaction.options.getSubcommand(false), query !== null && query.trim() !== '');
    if (context === undefined) {
      reply = problemReply('guild-only', 'Newshound works in server channels: run this command in the channel that should get the alerts.');
    } else if (def === undefined) {
      reply = problemReply('unknown-command', 'This command is not known (any more). Ask an admin to run `newshound deploy-commands`.');
    } else {
      const missing = def.postsInChannel ? POSTING_PERMISSIONS.filter(([, bit]) => !interaction.appPermissions.has(bit)).map(([name]) => name) : [];
      if (missing.length > 0 && context.invoker.canManage) {
        reply = problemReply('bot-missing-permissions', `I cannot post alerts in this channel: I am missing ${missing.join(', ')}. Give me those permissions here, then try again.`);
      } else {
        const args: Record<string, unknown> = {};
        for (const o of def.options) {
          const value = interaction.options.get(o.name)?.value;
          if (value !== undefined) args[o.name] = value;
        }
        reply = await chat.run(def, args, context, discordUsage);
      }
    }
    await interaction.editReply(interactionReply(reply));
  };

  const onAutocomplete = async (interaction: AutocompleteInteraction) => {
    const context = who(interaction);
    const def = resolveDiscordCommand(chat.commands, interaction.commandName, interaction.options.getSubcommandGroup(false), interaction.options.getSubcommand(false), true);
    const focused = interaction.options.getFocused(true);
    const choices = context && def ? await chat.autocomplete(def, { name: focused.name, value: String(focused.value) }, context) : [];
    await interaction.respond(choices);
  };

  const onFeedback = async (interaction: ButtonInteraction) => {
    const [action, clusterId] = interaction.customId.slice(FEEDBACK_PREFIX.length).split(':');
    const feedback = FEEDBACK_ACTIONS.find((a) => a === action);
    const context = who(interaction);
    if (feedback === 'exclude-word' && clusterId && context?.invoker.canManage) {
      // A modal must be the first answer: it asks for the word, its submission does the rest.
      await interaction.showModal({
        customId: `${EXCLUDE_MODAL_PREFIX}${clusterId}`,
        title: 'Exclude a word from these topics',
        components: [
          {
            type: ComponentType.ActionRow,
            components: [{ type: ComponentType.TextInput, customId: 'word', label: 'Stories with this word will not alert', style: TextInputStyle.Short, required: true, minLength: 1, maxLength: 64 }],
          },
        ],
      });
      return;
    }
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const reply =
      context && feedback && clusterId ? await chat.runFeedback(feedback, clusterId, context) : problemReply('unknown-button', 'This button does not work here.');
    await interaction.editReply(interactionReply(reply));
  };

  const onExcludeWord = async (interaction: ModalSubmitInteraction) => {
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const clusterId = interaction.customId.slice(EXCLUDE_MODAL_PREFIX.length);
    const context = who(interaction);
    const word = interaction.fields.getTextInputValue('word');
    const reply = context ? await chat.runFeedback('exclude-word', clusterId, context, word) : problemReply('guild-only', 'This only works in server channels.');
    await interaction.editReply(interactionReply(reply));
  };

  const onButton = async (interaction: ButtonInteraction) => {
    const [, action, token] = interaction.customId.split(':');
    if (action !== 'post-to-channel' || token === undefined) return;
    const context = who(interaction);
    // A shared search is public: the new message is visible to the channel.
    await interaction.deferReply();
    const reply = context ? await chat.runAction(token, context) : problemReply('guild-only', 'This only works in server channels.');
    await interaction.editReply(interactionReply(reply));
  };

  client.on(Events.InteractionCreate, (interaction: Interaction) => {
    const handled = interaction.isChatInputCommand()
      ? onCommand(interaction)
      : interaction.isAutocomplete()
        ? onAutocomplete(interaction)
        : interaction.isButton() && interaction.customId.startsWith(FEEDBACK_PREFIX)
          ? onFeedback(interaction)
          : interaction.isButton() && interaction.customId.startsWith('nh:')
            ? onButton(interaction)
            : interaction.isModalSubmit() && interaction.customId.startsWith(EXCLUDE_MODAL_PREFIX)
              ? onExcludeWord(interaction)
              : undefined;
    handled?.catch((err: unknown) => log.error({ err, interactionId: interaction.id }, 'discord interaction failed'));
  });
  client.on(Events.Error, (err) => log.error({ err }, 'discord client error'));
  client.on(Events.ShardDisconnect, (event, shard) => log.warn({ code: event.code, shard }, 'discord gateway disconnected'));

  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(opts.token);
  await ready;
  log.info({ user: client.user?.tag, guilds: client.guilds.cache.size }, 'discord bot connected');
  return {
    client,
    async stop() {
      await client.destroy();
    },
  };
}
