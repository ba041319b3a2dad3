import { UploadOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useRef } from 'react';

/**
 * A workbook (.xlsx) picker: an antd Button, so it looks like the buttons beside it and is reached with Tab and
 * pressed with Enter or Space, that opens a hidden file input. The input keeps the Chinese name (for tests and for
 * anyone who drops a file on it) and is cleared after each pick, so the same file can be chosen again after a fix.
 */
export function WorkbookUploadButton(props: {
  label: string;
  disabled: boolean;
  loading?: boolean;
  onFile: (file: File) => void;
}) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <input
        ref={input}
        type="file"
        accept=".xlsx"
        aria-label={props.label}
        style={{ display: 'none' }}
        disabled={props.disabled || props.loading}
        onChange={(e) => {
          const f = e.target.files?.[0];
          e.target.value = '';
          if (f) props.onFile(f);
        }}
      />
      <Button
        icon={<UploadOutlined aria-hidden />}
        disabled={props.disabled}
        loading={props.loading}
        onClick={() => input.current?.click()}
      >
        {props.label}
      </Button>
    </>
  );
}
