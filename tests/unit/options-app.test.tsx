// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/preact';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { OptionsApp } from '@/components/options/OptionsApp';
import { useLocale } from './support/locale';

afterEach(cleanup);

describe('the options page', () => {
  it('shows the four tabs and opens Connection first', () => {
    render(<OptionsApp />);
    const tabs = screen.getAllByRole('tab').map((t) => t.textContent);
    expect(tabs).toEqual(['Connection', 'Sync settings', 'Activity', 'About']);
    expect(screen.getByRole('tabpanel')).toHaveProperty('id', 'panel-connection');
  });

  it('moves between tabs with the keyboard and remembers the tab in the address', async () => {
    const user = userEvent.setup();
    render(<OptionsApp />);
    await user.click(screen.getByRole('tab', { name: 'Connection' }));
    await user.keyboard('{ArrowRight}');
    expect(screen.getByRole('tab', { name: 'Sync settings' })).toHaveProperty('ariaSelected', 'true');
    expect(document.activeElement?.textContent).toBe('Sync settings');
    expect(location.hash).toBe('#sync');
    await user.keyboard('{End}');
    // About loads when first opened.
    expect((await screen.findByRole('heading', { level: 2 })).textContent).toBe('About');
    await user.keyboard('{ArrowRight}');
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe('Connection');
  });

  it('speaks Japanese when the browser does', async () => {
    await useLocale('ja');
    render(<OptionsApp />);
    expect(screen.getAllByRole('tab').map((t) => t.textContent)).toEqual(['接続', '同期設定', 'アクティビティ', 'このアプリについて']);
  });
});
