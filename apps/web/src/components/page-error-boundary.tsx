import { Component, type ReactNode } from 'react';
import { t } from '../i18n/fr.ts';

/**
 * What a page shows instead of a blank screen when it cannot render: most often its chunk could
 * not be downloaded (the network, or a new version of the app whose files replaced the ones this
 * tab knew). Reloading fetches the current version.
 */
export class PageErrorBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    return (
      <div className="card" role="alert">
        <p>{t.app.pageFailed}</p>
        <button className="button button--primary" type="button" onClick={() => window.location.reload()}>
          {t.app.reload}
        </button>
      </div>
    );
  }
}
