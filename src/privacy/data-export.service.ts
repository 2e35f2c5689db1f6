import type { DataSource } from 'typeorm';
import { requireRecentPasswordAuth } from '../auth/recent-auth';
import type { MemberViewer } from '../auth/viewer';
import type { MemberVault } from '../members/member-vault.service';
import type { MemberDataRegistry } from './member-data-hook';
import type { DataExport } from './data-export.types';
import { ExportWindow } from './export-window';

export const EXPORT_FORMAT_VERSION = '1';

/**
 * Builds the member's data export: every category held, decrypted for the member. Needs a recent
 * sign-in. Each feature contributes its own sections through its member-data hook; a test ties
 * every column of member data to a section (or a stated reason to leave it out).
 */
export class DataExportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly vault: MemberVault,
    private readonly memberData: MemberDataRegistry,
    private readonly settings: { stepUpMaxAgeSeconds: number; sectionRows: number },
  ) {}

  /**
   * Bounded by section: each list section holds at most `sectionRows` rows per response; a section
   * with more is named in `more` with the cursor that fetches its next rows (`section`, `after`).
   */
  async export(viewer: MemberViewer, request: { section?: string | null; after?: string | null } = {}): Promise<DataExport> {
    requireRecentPasswordAuth(viewer, this.settings.stepUpMaxAgeSeconds);
    const window = new ExportWindow(this.settings.sectionRows, request.section ?? null, request.after ?? null);
    const memberId = viewer.memberId;
    const manager = this.dataSource.manager;
    const cipher = await this.vault.cipherFor(memberId);
    const page = window.page.bind(window);
    const sections = await Promise.all(this.memberData.hooks.map((hook) => hook.exportSections(manager, memberId, cipher, page)));
    const generatedAt = new Date();
    const document = { formatVersion: EXPORT_FORMAT_VERSION, generatedAt: generatedAt.toISOString(), ...Object.assign({}, ...sections) } as Record<
      string,
      unknown
    >;
    return { formatVersion: EXPORT_FORMAT_VERSION, generatedAt, document: JSON.parse(JSON.stringify(window.shape(document))) as Record<string, unknown> };
  }
}
