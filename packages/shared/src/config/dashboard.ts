import { z } from 'zod';
import { ConfigError } from '../errors/config.error.ts';
import { type EnvOf, flag, int, list, setting } from './setting.ts';

/** The operator's dashboard (`podpreview-dashboard`, Bull Board beside it). */
export const dashboardSettings = {
  PODPREVIEW_DASHBOARD_HOST: setting(
    z.string().min(1).default('127.0.0.1'),
    'address `podpreview-dashboard` (and `npm run demo -- --serve`) binds; anything but loopback needs `PODPREVIEW_DASHBOARD_USERS`',
  ),
  PODPREVIEW_DASHBOARD_PORT: setting(int(8081), 'dashboard port (`0`: any free port)'),
  PODPREVIEW_DASHBOARD_USERS: setting(z.string().optional(), 'basic-auth users, `name:password` comma-separated (passwords of 12+ characters)'),
  PODPREVIEW_DASHBOARD_REFRESH_MS: setting(int(5000, 500), 'how often the overview (and the alert evaluation) refreshes'),
  PODPREVIEW_BULL_BOARD_READ_ONLY: setting(flag(true), '`false` lets Bull Board retry, promote and remove jobs'),
  PODPREVIEW_DASHBOARD_SERIES_MAX_POINTS: setting(int(1440, 60), "minute points of the overview's charts kept in Redis (a day; the oldest go first)"),
};

export interface DashboardConfig {
  host: string;
  port: number;
  /** Basic-auth users (`name:password`); empty: only a loopback bind is allowed. */
  users: { name: string; password: string }[];
  refreshMs: number;
  bullBoardReadOnly: boolean;
  /** Minute points of the overview's charts kept in Redis (oldest dropped first); 1440 covers the day chart. */
  seriesMaxPoints: number;
}

export function dashboardConfig(e: EnvOf<typeof dashboardSettings>): { dashboard: DashboardConfig } {
  return {
    dashboard: {
      host: e.PODPREVIEW_DASHBOARD_HOST,
      port: e.PODPREVIEW_DASHBOARD_PORT,
      users: parseUsers(e.PODPREVIEW_DASHBOARD_USERS),
      refreshMs: e.PODPREVIEW_DASHBOARD_REFRESH_MS,
      bullBoardReadOnly: e.PODPREVIEW_BULL_BOARD_READ_ONLY === 'true',
      seriesMaxPoints: e.PODPREVIEW_DASHBOARD_SERIES_MAX_POINTS,
    },
  };
}

/** `name:password`, comma-separated. */
function parseUsers(v: string | undefined): { name: string; password: string }[] {
  return list(v).map((entry) => {
    const at = entry.indexOf(':');
    const name = entry.slice(0, at);
    const password = entry.slice(at + 1);
    if (at < 1 || password.length < 12) throw new ConfigError('PODPREVIEW_DASHBOARD_USERS: each entry is name:password, with a password of 12+ characters');
    return { name, password };
  });
}
