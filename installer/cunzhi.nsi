; NSIS script: wraps the PyInstaller folder (dist\cunzhi) into 村治通安装程序.exe.
; Build on Windows after PyInstaller:  makensis installer\cunzhi.nsi
Unicode true
!include "MUI2.nsh"

!define APPNAME "村治通"
!define APPDIR "cunzhi"
!define VERSION "0.1.0"

Name "${APPNAME} ${VERSION}"
OutFile "..\dist\村治通安装程序-${VERSION}.exe"
InstallDir "$PROGRAMFILES\${APPDIR}"
InstallDirRegKey HKLM "Software\${APPDIR}" "InstallDir"
RequestExecutionLevel admin

!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "SimpChinese"

Section "Install"
  SetOutPath "$INSTDIR"
  File /r "..\dist\cunzhi\*.*"
  WriteRegStr HKLM "Software\${APPDIR}" "InstallDir" "$INSTDIR"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  CreateDirectory "$SMPROGRAMS\${APPNAME}"
  CreateShortcut "$SMPROGRAMS\${APPNAME}\${APPNAME}.lnk" "$INSTDIR\cunzhi.exe"
  CreateShortcut "$SMPROGRAMS\${APPNAME}\卸载${APPNAME}.lnk" "$INSTDIR\uninstall.exe"
  CreateShortcut "$DESKTOP\${APPNAME}.lnk" "$INSTDIR\cunzhi.exe"
  WriteRegStr HKLM "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APPDIR}" "DisplayName" "${APPNAME}"
  WriteRegStr HKLM "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APPDIR}" "UninstallString" "$INSTDIR\uninstall.exe"
SectionEnd

; The data folder (%APPDATA%\cunzhi: database and backups) is never removed by the uninstaller.
Section "Uninstall"
  RMDir /r "$INSTDIR"
  Delete "$DESKTOP\${APPNAME}.lnk"
  RMDir /r "$SMPROGRAMS\${APPNAME}"
  DeleteRegKey HKLM "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APPDIR}"
  DeleteRegKey HKLM "Software\${APPDIR}"
SectionEnd
