// @vitest-environment jsdom
import { cleanup, render } from '@testing-library/react';
import { afterEach, expect, it } from 'vitest';
import { JsonTree } from '../../renderer/src/components/json-tree';

afterEach(cleanup);

it('shows string values as text with their line breaks, not as JSON escapes', () => {
  const { container } = render(
    <JsonTree value={{ messages: [{ role: 'system', content: 'Be brief.\n\nAnswer in "French".' }] }} />,
  );
  const strings = [...container.querySelectorAll('.str')].map((el) => el.textContent);
  expect(strings).toContain('"Be brief.\n\nAnswer in "French"."');
  expect(container.textContent).not.toContain('\\n');
});
